-- Kernel Log Lens in Neovim 0.7 or later (Debian 12 ships 0.7.2), built-in LSP client only.
-- `klens-language-server` must be on PATH (npm install -g kernel-log-lens, or npm link in a clone).
-- test/nvim/nvim.test.mjs loads this very file, so the README's configuration is the tested one.
local klens_client
vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
  pattern = { '*.log', 'messages', 'messages[-.]*', 'syslog', 'syslog.*', 'kern.log*', 'dmesg*' },
  callback = function(args)
    if not (klens_client and vim.lsp.get_client_by_id(klens_client)) then
      klens_client = vim.lsp.start_client({
        name = 'kernel-log-lens',
        cmd = { 'klens-language-server', '--stdio' },
        root_dir = vim.fn.getcwd(),
      })
    end
    vim.lsp.buf_attach_client(args.buf, klens_client)
  end,
})
