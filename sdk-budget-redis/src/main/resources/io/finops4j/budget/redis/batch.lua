-- Several calls' scripts in one atomic run (finops4j RedisBudgetStore, group commit): concurrent callers' reserves,
-- settles and releases bound for one connection (on a cluster: one slot) are sent as one EVALSHA. The functions
-- reserve, settle and release above are reserve.lua, settle.lua and release.lua verbatim, each run with its own
-- call's KEYS and ARGV, so every call is handled exactly as its own script would (all or nothing per call, in
-- order), and an error in one call does not touch the others.
-- KEYS: every call's keys in turn. ARGV: per call its script ('r', 's' or 'x'), its number of keys, its number of
-- arguments, then its arguments. Returns per call what its script returns, or {-3, message} when it raised an error.
local scripts = {r = reserve, s = settle, x = release}
local out = {}
local k, a = 0, 1
while a <= #ARGV do
  local fn, nk, na = scripts[ARGV[a]], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local keys, args = {}, {}
  for j = 1, nk do
    keys[j] = KEYS[k + j]
  end
  for j = 1, na do
    args[j] = ARGV[a + 2 + j]
  end
  local ok, r = pcall(fn, keys, args)
  if ok then
    out[#out + 1] = r
  else
    out[#out + 1] = {-3, type(r) == 'table' and (r.err or r.msg) or tostring(r)}
  end
  k, a = k + nk, a + 3 + na
end
return out
