;;; eglot-test.el --- checks Kernel Log Lens through eglot and flymake  -*- lexical-binding: t -*-
;; Run by emacs.test.mjs: emacs --batch -l kernel-log-lens.el -l eglot-test.el.  Opens corpus logs
;; of $KLENS_WORKSPACE, waits (with a deadline) for eglot to connect and for flymake's
;; diagnostics, asks for one hover, writes the outcome as JSON to $KLENS_RESULT and exits 1 when a
;; check failed.
(require 'eglot)
(require 'json)

(defvar klens-workspace (getenv "KLENS_WORKSPACE"))
(defvar klens-timeout (/ (string-to-number (or (getenv "KLENS_TIMEOUT_MS") "30000")) 1000.0))
(defvar klens-checks nil)
(defvar klens-failures nil)

(defun klens-check (ok what &optional detail)
  (push what klens-checks)
  (unless ok (push (if detail (format "%s: %s" what detail) what) klens-failures)))

(defun klens-wait (predicate)
  "Polls PREDICATE while serving process output, until it holds or the deadline passes.
Runs `post-command-hook' and `window-configuration-change-hook' on each round, as the command
loop and redisplay of an interactive Emacs do: eglot connects after the command that opened
the file, and flymake starts once the buffer is displayed."
  (let ((deadline (+ (float-time) klens-timeout)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (run-hooks 'post-command-hook 'window-configuration-change-hook)
      (accept-process-output nil 0.05))
    value))

(defun klens-open (relative-path)
  (find-file (expand-file-name relative-path klens-workspace))
  (klens-check (eq major-mode 'kernel-log-mode) (format "%s opens in kernel-log-mode" relative-path) major-mode)
  (klens-check (klens-wait #'eglot-current-server) (format "eglot connects for %s" relative-path)))

(defun klens-diagnostics-on (line &optional type)
  (seq-filter (lambda (d)
                (and (= (line-number-at-pos (flymake-diagnostic-beg d)) line)
                     (or (null type) (eq (flymake-diagnostic-type d) type))))
              (flymake-diagnostics)))

(defun klens-run ()
  (klens-open "000-seed.log")
  (klens-check (klens-wait (lambda () (klens-diagnostics-on 1 'eglot-warning))) "a warning on the header line")
  (let ((header (klens-diagnostics-on 1 'eglot-warning)))
    (klens-check (= (length header) 1) "one report warning on the header line" (length header))
    (when header
      (let ((text (flymake-diagnostic-text (car header))))
        ;; the verdict first, one Problems row (issue #14): request details are in the related items;
        ;; eglot puts "<source> [<code>]: " before the server's message
        (let ((message (replace-regexp-in-string "\\`[^[]*\\[KLL[0-9]+\\]: " "" text)))
          (klens-check (string-prefix-p "order-5 GFP_ATOMIC failed: fragmentation or a race: undecidable without buddy lists" message)
                       "the message leads with the verdict" text)
          (klens-check (<= (length message) 120) "the message fits 120 characters" (length message))))))
  (klens-check (= (length (klens-diagnostics-on 43)) 1) "one diagnostic on the Node 1 Normal zone line (43)")
  (goto-char (point-min))
  (forward-line 42)
  (klens-check (search-forward "Node 1 Normal" (line-end-position) t) "line 43 is the Node 1 Normal zone line")
  (backward-char 3)
  (let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover (eglot--TextDocumentPositionParams)))
         (contents (plist-get hover :contents))
         (text (replace-regexp-in-string "[*\\\\]" "" (or (plist-get contents :value) ""))))
    (dolist (number '("19976" "16260" "20324" "24388"))
      (klens-check (string-search number text) (format "the hover shows %s" number) text))
    (klens-check (string-search "below the low watermark" text) "the hover says the zone is below low" text)
    (klens-check (string-search "this request" text) "the hover says what the zone meant for this request" text)
    (klens-check (string-search "kswapd" text) "the hover says kswapd is woken" text))
  (klens-open "var/log/messages")
  (klens-check (klens-wait (lambda () (klens-diagnostics-on 1 'eglot-error))) "messages: the OOM kill is an error on line 1")
  (klens-open "var/log/kern.log")
  (klens-check (klens-wait (lambda () (klens-diagnostics-on 1 'eglot-warning))) "kern.log: a warning on line 1"))

(condition-case err
    (klens-run)
  (error (push (format "the test raised: %S" err) klens-failures)))
(with-temp-file (getenv "KLENS_RESULT")
  (insert (json-encode `((checks . ,(vconcat (reverse klens-checks)))
                         (failures . ,(vconcat (reverse klens-failures)))
                         (emacs . ,emacs-version)
                         (eglot . ,(file-name-nondirectory
                                    (directory-file-name (file-name-directory (locate-library "eglot")))))))))
(ignore-errors (eglot-shutdown-all))
(kill-emacs (if klens-failures 1 0))
