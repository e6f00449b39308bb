// core/cgroup-path.ts: cgroup paths as OOM reports print them, turned into pod / container / unit.
// Every path below is a real one copied from a public log (source given) or, where marked, built
// from the naming rule of the manager that creates it (kubelet, systemd, the runtime).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cgroupLabel, describeCgroup } from '../../server/src/core/cgroup-path';

const HEX_A = 'a2ed67c63e828da3849bf9f506ae2b36b4dac5b402a57f2981c9bdc07b23e672';

test('kubelet cgroupfs driver, Burstable pod and its container (real v1 `Task in … limit of …`)', () => {
  // A 2019 dmesg in a GitHub issue: `Task in /kubepods/burstable/podbc001ffa-…/a2ed67c6… killed as a
  // result of limit of /kubepods/burstable/podbc001ffa-…` (find_string "Task in /kubepods/burstable/pod").
  const task = describeCgroup(`/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c/${HEX_A}`);
  assert.deepEqual(task, {
    kind: 'container',
    podUid: 'bc001ffa-68fc-11e9-92d7-5ef9efd9374c',
    qosClass: 'burstable',
    containerId: HEX_A,
    path: `/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c/${HEX_A}`,
  });
  assert.equal(cgroupLabel(task), 'pod bc001ffa… (Burstable) container a2ed67c63e82');
  const limit = describeCgroup('/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c');
  assert.equal(limit.kind, 'pod');
  assert.equal(limit.containerId, undefined);
  assert.equal(cgroupLabel(limit), 'pod bc001ffa… (Burstable)');
});

test('kubelet cgroupfs driver, BestEffort pod; the kubepods level itself (AKS `oom_memcg=/kubepods`)', () => {
  // AKS node syslog (Japanese blog, find_string "task_memcg=/kubepods/besteffort/"):
  // `oom_memcg=/kubepods,task_memcg=/kubepods/besteffort/pod325d3265-…/d9a4f01c…`.
  const c = 'd9a4f01c5cfe15ee88972f51557b3395ea6f8d0f31a93d7ef19c64459085a156';
  const task = describeCgroup(`/kubepods/besteffort/pod325d3265-721f-4032-a97b-b3caa6e51859/${c}`);
  assert.equal(task.kind, 'container');
  assert.equal(task.qosClass, 'besteffort');
  assert.equal(task.podUid, '325d3265-721f-4032-a97b-b3caa6e51859');
  assert.equal(task.containerId, c);
  assert.equal(task.runtime, undefined, 'a bare id under a cgroupfs pod does not tell the runtime');
  const all = describeCgroup('/kubepods');
  assert.equal(all.kind, 'plain');
  assert.equal(all.allPods, true);
  assert.equal(cgroupLabel(all), 'Kubernetes kubepods cgroup (all pods)');
});

test('kubelet systemd driver: underscores in the slice name become the UID dashes (real 5.x/6.x oom-kill lines)', () => {
  // test/fixtures/extra/025 (SLE 15 5.14, virt-launcher): systemd driver, Burstable, containerd.
  const p =
    '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod968a06fb_9ab9_4819_8caf_0392ddff3d9b.slice/cri-containerd-0f32894de86edf3d3832702af794874ef8d400b4969acdea4976b12040756e0d.scope';
  const id = describeCgroup(p);
  assert.deepEqual(id, {
    kind: 'container',
    qosClass: 'burstable',
    podUid: '968a06fb-9ab9-4819-8caf-0392ddff3d9b',
    containerId: '0f32894de86edf3d3832702af794874ef8d400b4969acdea4976b12040756e0d',
    runtime: 'containerd',
    unit: 'cri-containerd-0f32894de86edf3d3832702af794874ef8d400b4969acdea4976b12040756e0d.scope',
    path: p,
  });
  assert.equal(cgroupLabel(id), 'pod 968a06fb… (Burstable) container 0f32894de86e');
  // The pod slice alone (`oom_memcg=` of the same report): the pod's limit was hit.
  const pod = describeCgroup(
    '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod968a06fb_9ab9_4819_8caf_0392ddff3d9b.slice',
  );
  assert.equal(pod.kind, 'pod');
  assert.equal(pod.unit, undefined, 'a slice only groups units');
  // A Guaranteed pod has no QoS slice: `oom_memcg=/kubepods.slice/kubepods-pod089f25ee_a41a_….slice/
  // cri-containerd-c3f1de0d….scope` (dmesg -x of a 2023 report, find_string
  // "oom_memcg=/kubepods.slice/kubepods-pod").
  const g = describeCgroup(
    '/kubepods.slice/kubepods-pod089f25ee_a41a_414c_a028_71a38dfb30d3.slice/cri-containerd-c3f1de0d0969e5d3c6758d2e59be98d4dc8ba0367af77f52b09d15225139c74f.scope',
  );
  assert.equal(g.qosClass, 'guaranteed');
  assert.equal(g.podUid, '089f25ee-a41a-414c-a028-71a38dfb30d3');
  assert.equal(cgroupLabel(g), 'pod 089f25ee… (Guaranteed) container c3f1de0d0969');
});

test('a mangled QoS slice still yields the pod (fixture 026 prints `kubepods-urstable.slice`)', () => {
  // The log lost a character of the QoS slice; the systemd driver repeats the QoS class in the
  // pod slice's own name, so the pod and its class are still found.
  const id = describeCgroup(
    '/kubepods.slice/kubepods-urstable.slice/kubepods-burstable-podef91e487_dec5_4613_800b_eb23e1a1617d.slice/cri-containerd-100093783c22a3ae1a42e21dd887b7c26eef52d56ba44c7273ef54507b6efe7c.scope',
  );
  assert.equal(id.kind, 'container');
  assert.equal(id.podUid, 'ef91e487-dec5-4613-800b-eb23e1a1617d');
  assert.equal(id.qosClass, 'burstable');
  assert.equal(id.containerId, '100093783c22a3ae1a42e21dd887b7c26eef52d56ba44c7273ef54507b6efe7c');
  assert.equal(id.runtime, 'containerd');
});

test('cri-o: the container scope, its nested `container` cgroup, and conmon (built from cri-o naming)', () => {
  // Constructed from cri-o's systemd cgroup manager naming (internal/config/cgmgr: `crio-<id>.scope`
  // for the container, `crio-conmon-<id>.scope` for its monitor) under kubelet's systemd pod slice.
  const pod =
    '/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod5f3d2447_f535_4b3d_979c_216d4980cc3f.slice';
  const c = describeCgroup(`${pod}/crio-${HEX_A}.scope/container`);
  assert.equal(c.kind, 'container');
  assert.equal(c.runtime, 'cri-o');
  assert.equal(c.containerId, HEX_A);
  assert.equal(c.monitor, undefined);
  assert.equal(c.qosClass, 'besteffort');
  const m = describeCgroup(`${pod}/crio-conmon-${HEX_A}.scope`);
  assert.equal(m.runtime, 'cri-o');
  assert.equal(m.monitor, true);
  assert.equal(cgroupLabel(m), 'pod 5f3d2447… (BestEffort) container a2ed67c63e82 monitor');
});

test('docker outside Kubernetes: systemd scope and cgroupfs /docker/<id>', () => {
  // `oom_memcg=/system.slice/docker-c32e6b2f….scope` (a GitHub issue's `dmesg`, find_string
  // "task_memcg=/system.slice/docker-").
  const s = describeCgroup(
    '/system.slice/docker-c32e6b2f57ba5c870e04a776f066ff53600087f1cafafa246aad4f3575259f97.scope',
  );
  assert.equal(s.kind, 'container');
  assert.equal(s.runtime, 'docker');
  assert.equal(s.unit, 'docker-c32e6b2f57ba5c870e04a776f066ff53600087f1cafafa246aad4f3575259f97.scope');
  assert.equal(cgroupLabel(s), 'docker container c32e6b2f57ba');
  // systemd running inside the container: `task_memcg=/system.slice/docker-….scope/init.scope`.
  const nested = describeCgroup(`/system.slice/docker-${HEX_A}.scope/init.scope`);
  assert.equal(nested.containerId, HEX_A);
  assert.equal(nested.unit, 'init.scope');
  // cgroupfs driver, docker's default cgroup parent `/docker` (built from dockerd's naming).
  const f = describeCgroup(`/docker/${HEX_A}`);
  assert.equal(f.runtime, 'docker');
  assert.equal(cgroupLabel(f), 'docker container a2ed67c63e82');
});

test('systemd units: a service, a login session scope, a user manager (real oom-kill lines)', () => {
  // test/fixtures/extra/009 `task_memcg=/system.slice/firewalld.service`.
  const svc = describeCgroup('/system.slice/firewalld.service');
  assert.deepEqual(svc, {
    kind: 'systemd-unit',
    unit: 'firewalld.service',
    path: '/system.slice/firewalld.service',
  });
  assert.equal(cgroupLabel(svc), 'systemd unit firewalld.service');
  // test/fixtures/extra/022 `task_memcg=/user.slice/user-1000.slice/session-2.scope`.
  assert.equal(
    cgroupLabel(describeCgroup('/user.slice/user-1000.slice/session-2.scope')),
    'systemd unit session-2.scope',
  );
  // systemd.unit(5): `user@1000.service` is an instance of the `user@.service` template; the
  // innermost service or scope is the one named.
  const app = describeCgroup(
    '/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox-1234.scope',
  );
  assert.equal(app.unit, 'app-firefox-1234.scope');
  assert.equal(describeCgroup('/user.slice/user-1000.slice/user@1000.service').unit, 'user@1000.service');
  // test/fixtures/extra/031 `task_memcg=/system.slice/containerd.service` (a runtime's own service).
  assert.equal(
    cgroupLabel(describeCgroup('/system.slice/containerd.service')),
    'systemd unit containerd.service',
  );
  // A slice alone is not a unit that runs processes.
  assert.equal(describeCgroup('/system.slice').kind, 'plain');
});

test('plain paths, the root, LXC; labels carry no log text but a plain path', () => {
  // test/fixtures/extra/008 `oom_memcg=/leaker`.
  assert.deepEqual(describeCgroup('/leaker'), { kind: 'plain', path: '/leaker' });
  assert.equal(cgroupLabel(describeCgroup('/leaker')), 'cgroup /leaker');
  assert.equal(cgroupLabel(describeCgroup('/')), 'the root cgroup');
  assert.equal(describeCgroup('/kubepods/burstable/').path, '/kubepods/burstable');
  assert.equal(cgroupLabel(describeCgroup('/kubepods/burstable')), 'Kubernetes Burstable QoS cgroup');
  // LXC 4.0 names its payload cgroup `lxc.payload.<name>` (built from LXC's naming).
  const l = describeCgroup('/lxc.payload.web1');
  assert.equal(l.runtime, 'lxc');
  assert.equal(cgroupLabel(l), 'lxc container web1');
  // A hostile segment is never taken as an id: nothing but the closed character sets is extracted.
  const h = describeCgroup('/kubepods/burstable/pod<script>/x');
  assert.equal(h.podUid, undefined);
  assert.equal(h.kind, 'plain');
});
