// A cgroup path as the kernel prints it in an OOM report (`oom_memcg=`, `task_memcg=`, `Task in …
// killed as a result of limit of …`, `Memory cgroup stats for …`) turned into what users name: the
// Kubernetes pod and its QoS class, the systemd unit, the container and its runtime.
//
// The path is the cgroup's path from the hierarchy root (mm/oom_kill.c dump_oom_summary /
// mm/memcontrol.c mem_cgroup_print_oom_context print it with pr_cont_cgroup_path). The names inside
// it are chosen by the managers that created the cgroups, so every shape below cites its namer:
//
// - kubelet, cgroupfs driver (pkg/kubelet/cm/qos_container_manager_linux.go,
//   pod_container_manager_linux.go GetPodContainerName = "pod" + pod.UID): Guaranteed pods sit
//   directly under the root `/kubepods/pod<uid>`, Burstable and BestEffort ones under
//   `/kubepods/burstable/pod<uid>` and `/kubepods/besteffort/pod<uid>`; the container's cgroup
//   below is named by the runtime: the bare 64-hex id (docker, containerd) or `crio-<id>` (cri-o).
// - kubelet, systemd driver (pkg/kubelet/cm/cgroup_manager_linux.go ToSystemd / ExpandSlice):
//   every level becomes a slice whose name repeats its parents joined by `-`, and a `-` inside a
//   name is escaped to `_` because systemd reads `-` as the hierarchy separator (systemd.slice(5)):
//   `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_5678….slice/…`; the
//   container is a transient scope named by the runtime: `cri-containerd-<id>.scope`
//   (containerd's systemd cgroup driver), `crio-<id>.scope` and `crio-conmon-<id>.scope` (cri-o's
//   container and its conmon monitor), `docker-<id>.scope` (dockerd / cri-dockerd).
//   A kubelet run with `--cgroup-root` nests all of this one level down (kind: `kubelet.slice/
//   kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/…`), so the kubepods level is found
//   anywhere in the path, not only at its start.
// - docker outside Kubernetes: `/docker/<64hex>` (cgroupfs driver, the default cgroup parent
//   "/docker") and `/system.slice/docker-<64hex>.scope` (systemd driver). podman:
//   `libpod-<id>.scope` / `libpod-conmon-<id>.scope` (systemd) or `/libpod_parent/libpod-<id>`.
// - LXC: `/lxc/<name>` and, since LXC 4.0, `/lxc.payload.<name>` (`lxc.monitor.<name>` is its
//   monitor).
// - systemd units (systemd.unit(5), systemd.service(5), systemd.scope(5)): services `*.service`
//   (`user@1000.service` is a user's service manager, an instance of the `user@.service` template),
//   scopes `*.scope` (`session-3.scope` is login session 3, created by systemd-logind), slices
//   `*.slice` only group them. The innermost service or scope is the unit that ran the task.
//
// Pure: strings in, a plain object out. Everything taken from the path is matched against a
// closed character set, so the labels hold no markup or control characters from the log; `path`
// itself is the log's text and must be sanitised by whoever shows it (core/safe-text.ts).

/** Kubernetes QoS classes as kubelet names their cgroups (v1.PodQOSClass, lower-cased in paths). */
export type QosClass = 'guaranteed' | 'burstable' | 'besteffort';

/** Container runtimes told apart by the names they give container cgroups. */
export type ContainerRuntime = 'docker' | 'containerd' | 'cri-o' | 'podman' | 'lxc';

export interface CgroupIdentity {
  /** What the innermost recognisable level of the path is: a container (alone or inside a pod),
   * a Kubernetes pod with no container level, a systemd service/scope, or none of these. */
  kind: 'pod' | 'systemd-unit' | 'container' | 'plain';
  /** The Kubernetes pod's UID (dashes restored from the systemd driver's underscores). */
  podUid?: string;
  /** The pod's QoS class (kubelet puts Guaranteed pods directly under kubepods). Also set for a
   * bare QoS-level path (`/kubepods/burstable`), which is kind 'plain'. */
  qosClass?: QosClass;
  /** The container id (hex for docker/containerd/cri-o/podman, the container name for LXC). */
  containerId?: string;
  /** The runtime, where the path's naming tells it (a bare hex id under a cgroupfs pod does not). */
  runtime?: ContainerRuntime;
  /** The cgroup is the runtime's monitor for the container (cri-o/podman `*-conmon-<id>`, LXC
   * `lxc.monitor.<name>`), not the container itself. */
  monitor?: boolean;
  /** The innermost systemd service or scope in the path (e.g. `mysql.service`, `session-3.scope`,
   * `docker-<id>.scope`). */
  unit?: string;
  /** The path is kubelet's `kubepods` cgroup itself, the parent of every pod. */
  allPods?: boolean;
  /** The path as given, trimmed (a trailing `/` other than the root's dropped). */
  path: string;
}

/** A container id as runtimes write it: docker/containerd/cri-o/podman use 64 hex digits. */
const HEX_ID = /^[0-9a-f]{64}$/;
/** Scopes and cgroup names that carry a container id, by runtime. A prefix, then the id. */
const CONTAINER_NAMES: readonly { re: RegExp; runtime: ContainerRuntime; monitor?: boolean }[] = [
  { re: /^cri-containerd-([0-9a-f]{64})(?:\.scope)?$/, runtime: 'containerd' },
  { re: /^crio-conmon-([0-9a-f]{64})(?:\.scope)?$/, runtime: 'cri-o', monitor: true },
  { re: /^crio-([0-9a-f]{64})(?:\.scope)?$/, runtime: 'cri-o' },
  { re: /^docker-([0-9a-f]{64})(?:\.scope)?$/, runtime: 'docker' },
  { re: /^libpod-conmon-([0-9a-f]{64})(?:\.scope)?$/, runtime: 'podman', monitor: true },
  { re: /^libpod-([0-9a-f]{64})(?:\.scope)?$/, runtime: 'podman' },
];
/** A systemd unit name that runs processes (systemd.unit(5) name syntax: letters, digits, `:-_.\`
 * and `@` for template instances). Slices only group units and are not named as the owner. */
const UNIT = /^([A-Za-z0-9:_.@\\-]+)\.(service|scope)$/;
/** The kubepods level: cgroupfs `kubepods` or systemd `…kubepods.slice`, optionally prefixed by a
 * `--cgroup-root` slice (`kubelet-kubepods.slice`). */
const KUBEPODS = /^(?:[A-Za-z0-9_]+-)?kubepods(?:\.slice)?$/;
/** The QoS level: cgroupfs `burstable` / `besteffort`, systemd `…kubepods-burstable.slice`. */
const QOS_LEVEL = /^(?:(?:[A-Za-z0-9_]+-)?kubepods-)?(burstable|besteffort)(?:\.slice)?$/;
/** The pod level: cgroupfs `pod<uid>`, systemd `…kubepods[-<qos>]-pod<uid_with_underscores>.slice`.
 * A UID is an RFC 4122 UUID, or 32 hex digits for a static pod (the hash of its manifest). */
const POD_LEVEL =
  /^(?:(?:[A-Za-z0-9_]+-)?kubepods-(?:(burstable|besteffort)-)?)?pod([0-9a-fA-F_-]{32,36})(?:\.slice)?$/;

/** Names a cgroup path: the pod, the container, the unit, where the path's naming says. */
export function describeCgroup(path: string): CgroupIdentity {
  let p = path.trim();
  if (p.length > 1 && p.endsWith('/')) p = p.replace(/\/+$/, '');
  const id: CgroupIdentity = { kind: 'plain', path: p };
  const segs = p.split('/').filter((s) => s !== '');

  // Kubernetes: the kubepods level, then optionally a QoS level, then the pod, then the container.
  const k = segs.findIndex((s) => KUBEPODS.test(s));
  let containerSeg: string | undefined;
  if (k >= 0) {
    const qos = segs[k + 1] !== undefined ? QOS_LEVEL.exec(segs[k + 1]!) : null;
    if (qos) id.qosClass = qos[1] as QosClass;
    // The pod level is searched below kubepods rather than at a fixed depth, so a QoS level the
    // log mangled (fixture 022 prints `kubepods-urstable.slice`) does not hide the pod.
    for (let i = k + 1; i < segs.length; i++) {
      const pod = POD_LEVEL.exec(segs[i]!);
      if (!pod) continue;
      // The systemd driver repeats the QoS class in the pod slice's own name; a pod straight
      // under kubepods is Guaranteed (qos_container_manager_linux.go: only Burstable and
      // BestEffort get a QoS cgroup of their own).
      id.qosClass ??= (pod[1] as QosClass | undefined) ?? (i === k + 1 ? 'guaranteed' : undefined);
      if (id.qosClass === undefined) delete id.qosClass;
      id.podUid = pod[2]!.replace(/_/g, '-').toLowerCase();
      id.kind = 'pod';
      containerSeg = segs[i + 1];
      break;
    }
  }

  // The container: the innermost runtime-named level (a container may nest cgroups of its own:
  // cri-o's `crio-<id>.scope/container`, systemd inside docker `docker-<id>.scope/init.scope`),
  // else a bare hex id right under a cgroupfs pod or under docker's `/docker` parent.
  const named = innermost(segs, containerName);
  if (named) {
    Object.assign(id, named);
    id.kind = 'container';
  } else if (containerSeg !== undefined && HEX_ID.test(containerSeg)) {
    id.containerId = containerSeg;
    id.kind = 'container';
  } else {
    const d = segs.indexOf('docker');
    const lxc = lxcName(segs);
    if (d >= 0 && segs[d + 1] !== undefined && HEX_ID.test(segs[d + 1]!)) {
      id.containerId = segs[d + 1]!;
      id.runtime = 'docker';
      id.kind = 'container';
    } else if (lxc) {
      Object.assign(id, lxc);
      id.kind = 'container';
    }
  }
  // The kubepods level itself: kubelet's node-allocatable cgroup holding every pod
  // (pkg/kubelet/cm/node_container_manager_linux.go enforces allocatable memory on it).
  if (k >= 0 && k === segs.length - 1) id.allPods = true;

  // The innermost systemd service or scope (a container's scope included).
  for (let i = segs.length - 1; i >= 0; i--) {
    const u = UNIT.exec(segs[i]!);
    if (u) {
      id.unit = segs[i]!;
      break;
    }
  }
  if (id.kind === 'plain' && id.unit !== undefined && !id.podUid) id.kind = 'systemd-unit';
  return id;
}

function innermost<T>(segs: string[], f: (s: string) => T | null): T | null {
  for (let i = segs.length - 1; i >= 0; i--) {
    const r = f(segs[i]!);
    if (r) return r;
  }
  return null;
}

function containerName(seg: string): Partial<CgroupIdentity> | null {
  for (const c of CONTAINER_NAMES) {
    const m = c.re.exec(seg);
    if (m) return { containerId: m[1]!, runtime: c.runtime, ...(c.monitor ? { monitor: true } : {}) };
  }
  return null;
}

/** LXC: `/lxc/<name>` (before 4.0), `/lxc.payload.<name>` and `/lxc.monitor.<name>` (4.0+). The
 * name is kept only if it is a plain host-name-like word. */
function lxcName(segs: string[]): Partial<CgroupIdentity> | null {
  const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (s === 'lxc' && i + 1 < segs.length && NAME.test(segs[i + 1]!))
      return { containerId: segs[i + 1]!, runtime: 'lxc' };
    const m = /^lxc\.(payload|monitor)\.(.+)$/.exec(s);
    if (m && NAME.test(m[2]!))
      return { containerId: m[2]!, runtime: 'lxc', ...(m[1] === 'monitor' ? { monitor: true } : {}) };
  }
  return null;
}

const QOS_WORD: Record<QosClass, string> = {
  guaranteed: 'Guaranteed',
  burstable: 'Burstable',
  besteffort: 'BestEffort',
};

/** A short user-facing name: `pod 1234abcd… (Burstable) container abcdef123456`,
 * `systemd unit mysql.service`, `docker container abcdef123456`, `cgroup /foo/bar`,
 * `the root cgroup`. Holds no text from the log except the path of a 'plain' cgroup, which the
 * caller sanitises like any log text. */
export function cgroupLabel(identity: CgroupIdentity): string {
  const parts: string[] = [];
  if (identity.podUid !== undefined) {
    const qos = identity.qosClass ? ` (${QOS_WORD[identity.qosClass]})` : '';
    parts.push(`pod ${shortPodUid(identity.podUid)}${qos}`);
  }
  if (identity.containerId !== undefined) {
    const rt = identity.podUid === undefined && identity.runtime ? `${identity.runtime} ` : '';
    const mon = identity.monitor ? ' monitor' : '';
    const id = identity.runtime === 'lxc' ? identity.containerId : shortContainerId(identity.containerId);
    parts.push(`${rt}container ${id}${mon}`);
  }
  if (parts.length > 0) return parts.join(' ');
  if (identity.kind === 'systemd-unit' && identity.unit !== undefined) return `systemd unit ${identity.unit}`;
  if (identity.allPods) return 'Kubernetes kubepods cgroup (all pods)';
  if (identity.qosClass !== undefined) return `Kubernetes ${QOS_WORD[identity.qosClass]} QoS cgroup`;
  if (identity.path === '/' || identity.path === '') return 'the root cgroup';
  return `cgroup ${identity.path}`;
}

/** The first 8 hex digits of a pod UID and an ellipsis (the first UUID group). */
export function shortPodUid(uid: string): string {
  return uid.length > 8 ? `${uid.slice(0, 8)}…` : uid;
}

/** The 12-digit short form docker and crictl show for a container id. */
export function shortContainerId(id: string): string {
  return HEX_ID.test(id) ? id.slice(0, 12) : id;
}
