-- Neovim (0.7+, built-in LSP client) with init.lua attaching `klens-language-server --stdio` to a
-- corpus log: checks the diagnostics and a hover through Neovim's own API, writes the outcome as
-- JSON to $KLENS_RESULT and quits (exit status 1 when a check failed). Every wait has a deadline.
-- Run by nvim.test.mjs: nvim --headless -u test/nvim/init.lua -c 'luafile test/nvim/lsp-test.lua'.
local workspace = assert(vim.env.KLENS_WORKSPACE, 'KLENS_WORKSPACE: test/fixtures/workspace')
local result_file = assert(vim.env.KLENS_RESULT, 'KLENS_RESULT: where to write the outcome')
local timeout_ms = tonumber(vim.env.KLENS_TIMEOUT_MS or '30000')

local outcome = { checks = {}, failures = {} }

local function check(ok, what, detail)
  table.insert(outcome.checks, what)
  if not ok then
    table.insert(outcome.failures, what .. (detail and (': ' .. detail) or ''))
  end
end

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(outcome) }, result_file)
  for _, client in pairs(vim.lsp.get_active_clients()) do
    client.stop(true)
  end
  vim.cmd(#outcome.failures == 0 and 'qall!' or 'cquit! 1')
end

-- Opens a log of the workspace; init.lua (the README's configuration, loaded with -u) attaches
-- the server when it opens.
local function open(relative_path)
  vim.cmd('edit ' .. vim.fn.fnameescape(workspace .. '/' .. relative_path))
  local bufnr = vim.api.nvim_get_current_buf()
  local attached = vim.wait(timeout_ms, function()
    return next(vim.lsp.buf_get_clients(bufnr)) ~= nil
  end, 50)
  check(attached, 'the configuration attaches kernel-log-lens to ' .. relative_path)
  return bufnr
end

local function run()
  local bufnr = open('000-seed.log')

  -- Diagnostics arrive by textDocument/publishDiagnostics after didOpen.
  local arrived = vim.wait(timeout_ms, function()
    return #vim.diagnostic.get(bufnr, { lnum = 0 }) > 0
  end, 50)
  check(arrived, 'a diagnostic on the header line within ' .. timeout_ms .. ' ms')
  local all = vim.diagnostic.get(bufnr)
  outcome.diagnostics = all
  -- One report diagnostic (warning or error) per header; hints about missing inputs may join it.
  local header = vim.diagnostic.get(bufnr, { lnum = 0, severity = { min = vim.diagnostic.severity.WARN } })
  check(#header == 1, 'one report diagnostic on the header line', tostring(#header))
  if header[1] then
    local d = header[1]
    check(d.severity == vim.diagnostic.severity.WARN, 'the header diagnostic is a warning', tostring(d.severity))
    -- the verdict first, one Problems row (issue #14): request details are in the related items
    local lead = 'order-5 GFP_ATOMIC failed: fragmentation or a race: undecidable without buddy lists'
    check(d.message:sub(1, #lead) == lead, 'the message leads with the verdict', d.message)
    check(vim.fn.strchars(d.message) <= 120, 'the message fits 120 characters', tostring(vim.fn.strchars(d.message)))
    check(d.source ~= nil and d.source ~= '', 'the diagnostic names its source')
  end
  local zone = vim.diagnostic.get(bufnr, { lnum = 42 })
  check(#zone == 1, 'one diagnostic on the Node 1 Normal zone line (43)', tostring(#zone))

  -- Hover on "Normal" of the Node 1 Normal zone line (0-based line 42).
  local line = vim.api.nvim_buf_get_lines(bufnr, 42, 43, true)[1]
  local column = line:find('Node 1 Normal', 1, true)
  check(column ~= nil, 'line 43 is the Node 1 Normal zone line', line)
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 42, character = (column or 1) - 1 + #'Node 1 ' },
  }, timeout_ms)
  local text = ''
  for _, response in pairs(responses or {}) do
    local contents = response.result and response.result.contents
    if type(contents) == 'table' then
      text = text .. table.concat(vim.lsp.util.convert_input_to_markdown_lines(contents), '\n')
    end
  end
  outcome.hover = text
  for _, number in ipairs({ '19976', '16260', '20324', '24388' }) do
    local grouped = number:sub(1, 2) .. ',' .. number:sub(3)
    check(text:find(number, 1, true) ~= nil or text:find(grouped, 1, true) ~= nil, 'the hover shows ' .. number, text)
  end
  local plain = text:gsub('[%*\\]', '') -- Markdown emphasis and escapes
  check(plain:find('below the low watermark', 1, true) ~= nil or plain:find('below low', 1, true) ~= nil, 'the hover says the zone is below low', text)
  check(plain:find('this request', 1, true) ~= nil, 'the hover says what the zone meant for this request', text)
  check(text:find('kswapd', 1, true) ~= nil, 'the hover says kswapd is woken', text)

  -- `messages` (an OOM kill) is matched by the configuration's file patterns too.
  local messages = open('var/log/messages')
  local oom = vim.wait(timeout_ms, function()
    return #vim.diagnostic.get(messages, { lnum = 0, severity = vim.diagnostic.severity.ERROR }) == 1
  end, 50)
  check(oom, 'messages: the OOM kill is an error on line 1')
end

local ok, error_message = pcall(run)
if not ok then
  table.insert(outcome.failures, 'the test raised: ' .. tostring(error_message))
end
finish()
