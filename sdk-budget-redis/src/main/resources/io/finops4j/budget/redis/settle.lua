-- Settle one call: spent += actual, and its reservation returns, once per call record (finops4j RedisBudgetStore).
-- KEYS as for reserve.lua. ARGV[1] when the "done" mark expires (epoch ms), ARGV[2] call id; then per charge:
--   the amount reserved ('-' for a charge without reservation), the actual amount, the counter's expiry.
-- Returns {1, spent1, reserved1, ...} (each spent right after this call's amount was added), or {0} when the
-- call was already settled or released. A call whose lease expired (or whose record Redis lost) is still
-- charged its actual amount: the money was spent.
-- The record is marked done and read in one SET ... GET; a cancelled call's 'x' is put back.
local state = redis.call('SET', KEYS[1], 'd', 'PXAT', ARGV[1], 'GET')
if state == 'd' then
  return {0}
end
if state == 'x' then
  redis.call('SET', KEYS[1], 'x', 'PXAT', ARGV[1])
  return {0}
end
local n = (#KEYS - 1) / 2
local out = {1}
for i = 1, n do
  local counter, leases = KEYS[2 * i], KEYS[2 * i + 1]
  local b = 2 + 3 * (i - 1)
  local amount = ARGV[b + 1]
  -- the lease is still listed unless it expired and a reserve trimmed it (which returned it then); while it is
  -- listed the counter exists with its expiry (both were set when the lease was)
  local removed = amount ~= '-' and redis.call('ZREM', leases, amount .. ':' .. ARGV[2]) == 1
  out[2 * i] = redis.call('HINCRBY', counter, 's', ARGV[b + 2])
  if removed and amount ~= '0' then
    out[2 * i + 1] = redis.call('HINCRBY', counter, 'r', '-' .. amount)
  else
    out[2 * i + 1] = tonumber(redis.call('HGET', counter, 'r')) or 0
    if not removed then
      redis.call('PEXPIREAT', counter, ARGV[b + 3])   -- the counter may have been created just now
    end
  end
end
return out
