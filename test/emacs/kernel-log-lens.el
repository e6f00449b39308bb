;;; kernel-log-lens.el --- Kernel Log Lens in Emacs through eglot  -*- lexical-binding: t -*-
;; Emacs 29+ (eglot built in), or Emacs 28 with eglot from ELPA (Debian 12: elpa-eglot).
;; `klens-language-server' must be on PATH.  test/emacs/emacs.test.mjs loads this very file, so
;; the README's configuration is the tested one.
(define-derived-mode kernel-log-mode text-mode "Kernel-Log"
  "Kernel logs, explained by klens-language-server.")
(add-to-list 'auto-mode-alist
             '("/\\(messages\\|syslog\\|kern\\.log\\|dmesg\\)\\([-.][^/]*\\)?\\'" . kernel-log-mode))
(add-to-list 'auto-mode-alist '("\\.log\\'" . kernel-log-mode))
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '(kernel-log-mode "klens-language-server" "--stdio")))
(add-hook 'kernel-log-mode-hook #'eglot-ensure)
