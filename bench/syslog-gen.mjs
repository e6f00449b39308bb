// Deterministic syslog generator for the CLI benchmark: ordinary daemon noise (sshd, systemd, cron,
// postfix, NetworkManager, kernel usb/ext4/audit/UFW/net lines) with real memory reports from the
// corpus mixed in, re-stamped with syslog prefixes. Same size + seed + corpus ⇒ the same bytes.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Bump when the generated text changes, so stale files under bench/.data are regenerated. */
export const GENERATOR_VERSION = 4;

/** Clean, complete reports from the corpus (syslog, journal short or raw dmesg framing). */
export const TEMPLATE_FILES = [
  '000-seed.log',
  '001-journal-oom-6.8-python.log',
  '005-dmesg-mips32-highmem-5.10-go.log',
  '009-dmesg-ppc64le-64k-vmalloc-5.10.log',
  '011-dmesg-2.6.32-r8169-order0-slub.log',
  '019-dmesg-6.19-kswapd0-btrfs-sheaves.log',
  '026-syslog-rhel6-header-only-x5.log',
  '031-rsyslog-012-rhel7-3.10-oom-mysqld.log',
  '034-dmesg-i386-highmem-5.7-xorg-pagefault-oom-gfp0.log',
];

/** Template insertions per GiB of output ("a few thousand real reports"). */
const INSERTIONS_PER_GIB = 2500;

/** sfc32: small, fast, good enough for test data, and identical on every platform. */
export function prng(seed) {
  let a = 0x9e3779b9 ^ seed,
    b = 0x243f6a88 ^ (seed * 31),
    c = 0xb7e15162,
    d = 1;
  const next = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

/** Finds the corpus: the project's fixture copy first, else ../shared/corpus. */
export function findCorpus(root) {
  for (const dir of [
    join(root, 'test/fixtures/corpus'),
    join(root, '../shared/corpus'),
    '/work/shared/corpus',
  ]) {
    if (TEMPLATE_FILES.every((f) => existsSync(join(dir, f)))) return dir;
  }
  throw new Error('corpus not found (test/fixtures/corpus or ../shared/corpus)');
}

/** Loads the templates with the number of events the corpus index lists for each. */
export function loadTemplates(corpusDir) {
  let index = [];
  const indexPath = [join(corpusDir, 'INDEX.json'), '/work/shared/corpus/INDEX.json'].find((p) =>
    existsSync(p),
  );
  if (indexPath) index = JSON.parse(readFileSync(indexPath, 'utf8'));
  const hash = createHash('sha256');
  const templates = TEMPLATE_FILES.map((file) => {
    const text = readFileSync(join(corpusDir, file), 'latin1');
    hash.update(file).update(text);
    const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
    const entry = index.find((e) => e.file === file);
    const events = entry ? entry.events.map((e) => e.kind) : [];
    return { file, lines, events };
  });
  return { templates, digest: hash.digest('hex').slice(0, 16) };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n) => (n < 10 ? `0${n}` : `${n}`);

const SYSLOG_PREFIX = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ /;
const DMESG_PREFIX = /^\[\s*\d+\.\d+\] /;

export function generate({ path, size, seed, corpusDir }) {
  const rand = prng(seed);
  const int = (n) => Math.floor(rand() * n);
  const pick = (list) => list[int(list.length)];
  const hex = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[int(16)];
    return s;
  };
  const ip = (net) => `${net}.${1 + int(254)}`;
  const { templates } = loadTemplates(corpusDir);

  const hosts = ['web01', 'web02', 'db01'];
  let clock = Date.UTC(2024, 0, 1, 0, 0, 0) / 1000;
  let uptime = 1234.5;
  let stamp = '';
  let stampAt = -1;
  const now = () => {
    if (stampAt !== clock) {
      const d = new Date(clock * 1000);
      const day = d.getUTCDate();
      stamp = `${MONTHS[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
      stampAt = clock;
    }
    return stamp;
  };
  const pid = () => 1000 + int(60000);
  const kts = () => {
    uptime += rand() * 0.5;
    return `[${uptime.toFixed(6).padStart(12)}]`;
  };
  const users = ['deploy', 'root', 'alice', 'bob', 'backup', 'git', 'ubuntu'];
  const units = [
    'logrotate.service',
    'apt-daily.service',
    'man-db.service',
    'fstrim.service',
    'sysstat-collect.service',
    'phpsessionclean.service',
    'certbot.service',
  ];
  const descs = [
    'Rotate log files',
    'Daily apt download activities',
    'Daily man-db regeneration',
    'Discard unused blocks on filesystems',
    'system activity accounting tool',
    'Clean php session files',
    'Certbot',
  ];

  const noise = [
    [
      14,
      () =>
        `sshd[${pid()}]: Accepted publickey for ${pick(users)} from ${ip('10.20.' + int(255))} port ${1024 + int(64000)} ssh2: ED25519 SHA256:${hex(43)}`,
    ],
    [
      10,
      () =>
        `sshd[${pid()}]: Failed password for invalid user ${pick(['admin', 'test', 'oracle', 'pi', 'user', 'ftp'])} from ${ip('203.0.113')} port ${1024 + int(64000)} ssh2`,
    ],
    [
      8,
      () =>
        `sshd[${pid()}]: Connection closed by authenticating user root ${ip('198.51.100')} port ${1024 + int(64000)} [preauth]`,
    ],
    [
      8,
      () =>
        `sshd[${pid()}]: pam_unix(sshd:session): session ${pick(['opened', 'closed'])} for user ${pick(users)}${rand() < 0.5 ? `(uid=${1000 + int(5)}) by (uid=0)` : ''}`,
    ],
    [
      5,
      () =>
        `sshd[${pid()}]: Received disconnect from ${ip('10.20.' + int(255))} port ${1024 + int(64000)}:11: disconnected by user`,
    ],
    [
      12,
      () =>
        `CRON[${pid()}]: (root) CMD (${pick(['command -v debian-sa1 > /dev/null && debian-sa1 1 1', '[ -x /usr/lib/php/sessionclean ] && /usr/lib/php/sessionclean', 'test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.hourly )', '/usr/local/bin/backup.sh >/dev/null 2>&1'])})`,
    ],
    [
      10,
      () =>
        `CRON[${pid()}]: pam_unix(cron:session): session ${pick(['opened', 'closed'])} for user root${rand() < 0.5 ? '(uid=0) by (uid=0)' : ''}`,
    ],
    [
      8,
      () => {
        const i = int(units.length);
        return `systemd[1]: ${pick(['Starting', 'Started', 'Finished'])} ${descs[i]}${rand() < 0.5 ? '...' : '.'}`;
      },
    ],
    [
      6,
      () =>
        `systemd[1]: ${pick(units)}: ${pick(['Succeeded.', 'Deactivated successfully.', 'Consumed 1.203s CPU time.'])}`,
    ],
    [6, () => `systemd[1]: Started Session ${int(90000)} of User ${pick(users)}.`],
    [
      5,
      () =>
        `systemd-logind[${600 + int(50)}]: ${pick(['New session', 'Removed session', 'Session'])} ${int(90000)}${rand() < 0.5 ? ` of user ${pick(users)}.` : ' logged out. Waiting for processes to exit.'}`,
    ],
    [
      5,
      () =>
        `postfix/smtpd[${pid()}]: ${pick(['connect from', 'disconnect from', 'lost connection after AUTH from'])} unknown[${ip('192.0.2')}]`,
    ],
    [
      3,
      () =>
        `postfix/qmgr[${pid()}]: ${hex(10).toUpperCase()}: from=<root@${pick(hosts)}.example.com>, size=${500 + int(9000)}, nrcpt=1 (queue active)`,
    ],
    [
      4,
      () =>
        `NetworkManager[${700 + int(40)}]: <info>  [${clock}.${int(10000)}] dhcp4 (eth0): state changed bound -> bound`,
    ],
    [
      3,
      () =>
        `dbus-daemon[${600 + int(40)}]: [system] Successfully activated service '${pick(['org.freedesktop.hostname1', 'org.freedesktop.timedate1', 'org.freedesktop.PackageKit'])}'`,
    ],
    [
      2,
      () =>
        `rsyslogd: [origin software="rsyslogd" swVersion="8.2302.0" x-pid="${500 + int(100)}" x-info="https://www.rsyslog.com"] rsyslogd was HUPed`,
    ],
    [
      3,
      () =>
        `snapd[${800 + int(40)}]: storehelpers.go:${700 + int(100)}: cannot refresh: snap has no updates available: "core20", "lxd", "snapd"`,
    ],
    [
      4,
      () =>
        `kernel: ${kts()} usb ${1 + int(3)}-${1 + int(4)}: ${pick(['new high-speed USB device number ' + (2 + int(20)) + ' using xhci_hcd', 'USB disconnect, device number ' + (2 + int(20)), 'New USB device found, idVendor=0781, idProduct=5581, bcdDevice= 1.00', 'Product: Ultra'])}`,
    ],
    [
      3,
      () =>
        `kernel: ${kts()} EXT4-fs (${pick(['sda1', 'sdb1', 'dm-0', 'nvme0n1p2'])}): ${pick(['mounted filesystem with ordered data mode. Opts: (null)', 're-mounted. Opts: errors=remount-ro', 'recovery complete'])}`,
    ],
    [
      5,
      () =>
        `kernel: ${kts()} audit: type=1400 audit(${clock}.${int(1000)}:${int(99999)}): apparmor="DENIED" operation="open" profile="${pick(['/usr/sbin/cupsd', 'snap.lxd.daemon', '/usr/bin/man'])}" name="/etc/ssl/openssl.cnf" pid=${pid()} comm="${pick(['cupsd', 'lxd', 'man'])}" requested_mask="r" denied_mask="r" fsuid=0 ouid=0`,
    ],
    [
      7,
      () =>
        `kernel: ${kts()} [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:${hex(2)}:${hex(2)}:${hex(2)}:52:54:00:12:35:02:08:00 SRC=${ip('203.0.113')} DST=10.0.2.15 LEN=${40 + int(20)} TOS=0x00 PREC=0x00 TTL=${40 + int(200)} ID=${int(65535)} PROTO=TCP SPT=${1024 + int(64000)} DPT=${pick([23, 22, 3389, 445, 8080])} WINDOW=1024 RES=0x00 SYN URGP=0`,
    ],
    [
      2,
      () =>
        `kernel: ${kts()} ${pick(['e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx', 'TCP: request_sock_TCP: Possible SYN flooding on port 80. Sending cookies.  Check SNMP counters.', 'nf_conntrack: nf_conntrack: table full, dropping packet', 'perf: interrupt took too long (2503 > 2500), lowering kernel.perf_event_max_sample_rate to 79750'])}`,
    ],
    // near misses for line filters: memory words that are not reports
    [
      1,
      () =>
        `kernel: ${kts()} ${pick(['vmalloc : 0xffffc90000000000 - 0xffffe8ffffffffff   (32767 TB)', 'Memory: 16314012K/16686656K available (14339K kernel code, 2378K rwdata)', 'Freeing unused kernel image (initmem) memory: 2904K', 'zswap: loaded using pool lzo/zbud'])}`,
    ],
  ];
  const table = [];
  for (const [weight, make] of noise) for (let i = 0; i < weight; i++) table.push(make);

  // Where the reports go: sorted byte offsets, drawn up front so the file is reproducible.
  const insertions = Math.max(1, Math.round((size / 2 ** 30) * INSERTIONS_PER_GIB));
  const at = Array.from({ length: insertions }, () => Math.floor(rand() * size * 0.98)).sort((x, y) => x - y);
  let nextInsertion = 0;

  const counts = {};
  let inserted = 0;
  let written = 0;
  let lines = 0;
  const fd = openSync(path, 'w');
  let buffer = [];
  let buffered = 0;
  const emit = (line) => {
    buffer.push(line);
    buffered += line.length + 1;
    lines++;
  };
  const flush = () => {
    if (buffer.length === 0) return;
    const text = buffer.join('\n') + '\n';
    writeSync(fd, text, null, 'latin1');
    written += buffered;
    buffer = [];
    buffered = 0;
  };
  const noiseLine = (host) => `${now()} ${host} ${pick(table)()}`;

  while (written + buffered < size) {
    if (rand() < 0.3) clock += int(3);
    const host = pick(hosts);
    if (nextInsertion < at.length && written + buffered >= at[nextInsertion]) {
      nextInsertion++;
      const t = pick(templates);
      inserted++;
      for (const kind of t.events) counts[kind] = (counts[kind] ?? 0) + 1;
      // Another host's line inside the report (a central syslog), but never inside a line the
      // poster's mailer wrapped: the kernel's own line is whole in a real syslog.
      const interleave = rand() < 0.2 ? 3 + int(Math.max(1, t.lines.length - 3)) : -1;
      t.lines.forEach((line, i) => {
        const framed = SYSLOG_PREFIX.test(line) || DMESG_PREFIX.test(line);
        if (i === interleave && framed) emit(noiseLine(pick(hosts.filter((h) => h !== host))));
        if (SYSLOG_PREFIX.test(line)) emit(line.replace(SYSLOG_PREFIX, `${now()} ${host} `));
        else if (DMESG_PREFIX.test(line)) emit(`${now()} ${host} kernel: ${line}`);
        else emit(line);
      });
    } else {
      emit(noiseLine(host));
    }
    if (buffered >= 8 << 20) flush();
  }
  flush();
  closeSync(fd);
  return { bytes: written, lines, insertions: inserted, expectedEvents: counts };
}
