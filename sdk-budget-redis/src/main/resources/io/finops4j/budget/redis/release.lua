-- Release one call's reservation without charging (finops4j RedisBudgetStore).
-- KEYS as for reserve.lua. ARGV[1] when the mark expires (epoch ms), ARGV[2] call id, ARGV[3] the mark to leave
-- ('d' released, 'x' cancelled: a reserve of this call id that reaches Redis later is refused), then per charge
-- the amount reserved. Returns 1 when a reservation was held (or had expired), 0 when there was nothing.
local state = redis.call('GET', KEYS[1])
if state == 'd' or state == 'x' then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3], 'PXAT', ARGV[1])
if state ~= 'h' then
  return 0
end
local n = (#KEYS - 1) / 2
for i = 1, n do
  local amount = ARGV[3 + i]
  if redis.call('ZREM', KEYS[2 * i + 1], amount .. ':' .. ARGV[2]) == 1 and amount ~= '0' then
    redis.call('HINCRBY', KEYS[2 * i], 'r', '-' .. amount)
  end
end
return 1
