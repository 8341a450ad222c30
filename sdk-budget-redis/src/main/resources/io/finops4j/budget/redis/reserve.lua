-- Reserve one call's worst cases on all of its counters, all or nothing (finops4j RedisBudgetStore).
-- KEYS[1] the call's record; then per charge i: KEYS[2i] the counter hash {s = spent, r = reserved},
--   KEYS[2i+1] the counter's leases: a sorted set of "amount:callId" scored by the lease's expiry (epoch ms).
-- ARGV[1] now, ARGV[2] lease expiry, ARGV[3] call id; then per charge: amount, limit (-1 = unlimited),
--   the counter's expiry (window end + grace). All times come from the caller, in epoch milliseconds.
-- Returns {1, spent1, reserved1, ...} after reserving, {0, index, spent, reserved} when charge index (0-based)
-- does not fit, {-2} when the call id already holds a reservation.
-- Expiries are set when a key is created, not on every run (every redis.call costs Redis ~1.5 us of Lua overhead):
-- a counter without s and r is new; its leases can only be created empty, that is while nothing is reserved.
local n = (#KEYS - 1) / 2
local now = tonumber(ARGV[1])
local state = redis.call('GET', KEYS[1])
if state == 'h' or state == 'x' then
  return {-2}
end
local out = {1}
local new, empty = {}, {}
for i = 1, n do
  local counter, leases = KEYS[2 * i], KEYS[2 * i + 1]
  -- leases of crashed callers stop counting here: subtract exactly what each expired one held
  -- (amounts stay strings, so HINCRBY counts exactly whatever their size)
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now)
  if #expired > 0 then
    for _, m in ipairs(expired) do
      local amount = string.match(m, '^(%d+):')
      if amount ~= '0' then
        redis.call('HINCRBY', counter, 'r', '-' .. amount)
      end
    end
    redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  end
  local v = redis.call('HMGET', counter, 's', 'r')
  local spent = tonumber(v[1]) or 0
  local reserved = tonumber(v[2]) or 0
  new[i] = not v[1] and not v[2]
  empty[i] = reserved <= 0
  local b = 3 + 3 * (i - 1)
  local amount = tonumber(ARGV[b + 1])
  local limit = tonumber(ARGV[b + 2])
  if limit >= 0 and spent + reserved + amount > limit then
    return {0, i - 1, spent, reserved}
  end
  out[2 * i] = spent
  out[2 * i + 1] = reserved + amount
end
for i = 1, n do
  local counter, leases = KEYS[2 * i], KEYS[2 * i + 1]
  local b = 3 + 3 * (i - 1)
  redis.call('HINCRBY', counter, 'r', ARGV[b + 1])
  redis.call('ZADD', leases, ARGV[2], ARGV[b + 1] .. ':' .. ARGV[3])
  if new[i] then
    redis.call('PEXPIREAT', counter, ARGV[b + 3])
  end
  if empty[i] then
    -- r is the sum of the listed leases, so a set that may have been created just now has nothing reserved
    redis.call('PEXPIREAT', leases, ARGV[b + 3])
  end
end
redis.call('SET', KEYS[1], 'h', 'PXAT', ARGV[2])
return out
