-- Neovim's built-in LSP client against `netpol lsp` (headless; run by `make lsp-nvim-test`):
--   NETPOL=target/debug/netpol nvim --headless --clean -u tests/lsp/nvim.lua
-- Opens tests/lsp/workspace/web.yaml, waits for netpol's diagnostics, asserts them
-- and a hover, then exits 0 (or prints what failed and exits 1). Uses the API of
-- Neovim 0.7 (vim.lsp.start_client), which later versions keep.

local netpol = assert(os.getenv("NETPOL"), "set NETPOL to the netpol binary")
local root = vim.fn.fnamemodify("tests/lsp/workspace", ":p"):gsub("/$", "")

local failures = {}
local function check(ok, what)
  if not ok then
    table.insert(failures, what)
  end
end

local function finish()
  if #failures == 0 then
    io.stdout:write("nvim: netpol lsp diagnostics and hover ok\n")
    os.exit(0)
  end
  io.stderr:write("nvim: " .. table.concat(failures, "\nnvim: ") .. "\n")
  os.exit(1)
end

local client_id = vim.lsp.start_client({
  name = "netpol",
  cmd = { netpol, "lsp" },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = "workspace" } },
})
check(client_id ~= nil, "the client did not start")
if client_id == nil then
  finish()
end

vim.cmd("edit " .. vim.fn.fnameescape(root .. "/web.yaml"))
local buffer = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buffer, client_id)

-- The code of a diagnostic (a field of its own from Neovim 0.8, under user_data before).
local function code_of(diagnostic)
  return diagnostic.code or (diagnostic.user_data and diagnostic.user_data.lsp and diagnostic.user_data.lsp.code)
end

local arrived = vim.wait(10000, function()
  return #vim.diagnostic.get(buffer) >= 2
end, 50)
check(arrived, "no diagnostics within 10 s")

local found = {}
for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
  found[code_of(diagnostic)] = diagnostic
  check(diagnostic.source == "netpol", "source is " .. tostring(diagnostic.source))
end
check(found["missing-policytypes"] ~= nil, "no missing-policytypes finding")
local rule = found["rule-without-ports"]
check(rule ~= nil, "no rule-without-ports finding")
if rule then
  check(rule.lnum == 10 and rule.col == 6, ("rule-without-ports at %d:%d, not 10:6"):format(rule.lnum, rule.col))
end

-- Hover on the peer's podSelector (line 14, `app: api`): the pod it matches.
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buffer) },
  position = { line = 13, character = 16 },
}
local replies = vim.lsp.buf_request_sync(buffer, "textDocument/hover", params, 10000) or {}
local hover = ""
for _, reply in pairs(replies) do
  if reply.result and reply.result.contents then
    hover = reply.result.contents.value or ""
  end
end

check(hover:find("`shop/api` (Pod)", 1, true) ~= nil, "hover was: " .. hover)

vim.lsp.stop_client(client_id)
finish()
