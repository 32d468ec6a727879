#!/usr/bin/env bash
# run.sh KERNELDIR INITRAMFS LOG [TEST...]: boot the test VM under qemu, show
# its serial console (the suite's TAP output) here, and exit with the status
# the guest's init printed as TEST-VM-EXIT=<n>. No marker is a failure: the
# suite never passes by not running. With no TEST the guest runs no bats
# file; with VM_DOC set (to tools/doc-test.py's arguments, or empty for all
# the docs) it runs the docs' console sessions after them.
#
# VM_TIMEOUT (seconds, default 3600) kills a hung guest; VM_MEM and VM_SMP
# size it. KVM is used when it works (VM_ACCEL=auto), TCG otherwise.
set -uo pipefail

kernel=$1
initramfs=$2
log=$3
shift 3
fail() { echo "test-vm: $*" >&2; exit 1; }

qemu=$(command -v qemu-system-x86_64) || fail "qemu-system-x86_64 not found (make deps-vm installs qemu-system-x86)"
[ -s "$kernel/vmlinuz" ] || fail "no kernel in $kernel (make deps-vm fetches it)"
[ -s "$initramfs" ] || fail "no $initramfs"
timeout=${VM_TIMEOUT:-3600}

# KVM when it works: a /dev/kvm can be there and still fail, at once (nested
# virtualisation that rejects MSRs makes qemu abort) or once the guest runs
# (an "emulation failure" leaves qemu paused for good, and the suite would
# wait for VM_TIMEOUT). So the test is to boot the kernel itself under KVM,
# without an initramfs, to its panic, which ends qemu (-no-reboot): a few
# seconds when KVM works. VM_ACCEL=tcg or kvm forces one.
kvm_works() {
	[ -w /dev/kvm ] || return 1
	# In a subshell whose stderr is /dev/null, so that bash's "Aborted"
	# about a failing qemu goes there too.
	local status
	status=$({
		timeout 15 "$qemu" -accel kvm -cpu host -m 256M -nodefaults -no-user-config \
			-display none -no-reboot -kernel "$kernel/vmlinuz" \
			-append "console=ttyS0 panic=-1" -serial null </dev/null >/dev/null 2>&1
		echo $?
	} 2>/dev/null)
	[ "$status" -eq 0 ]
}
# TCG in one host thread, the guest's CPUs taking turns in it: the suite
# runs one test at a time and gains nothing from a host thread per CPU
# (thread=multi), which here took more host CPU for the same tests, and
# under load from elsewhere (in CI the host's stages run beside the VM)
# far longer. The guest still has VM_SMP CPUs. qemu64, not max: without
# AVX and its larger register state, which TCG emulates slowly, the same
# tests took a fifth less time.
# shellcheck disable=SC2054 # the commas are qemu's
tcg=(-accel tcg,thread=single -cpu qemu64)
case ${VM_ACCEL:-auto} in
kvm) accel=(-accel kvm -cpu host) ;;
tcg) accel=("${tcg[@]}") ;;
auto) if kvm_works; then accel=(-accel kvm -cpu host); else accel=("${tcg[@]}"); fi ;;
*) fail "VM_ACCEL=$VM_ACCEL: kvm, tcg or auto" ;;
esac
# mitigations=off: the guest runs the suite alone, and the kernel's
# defences against speculative execution only slow its system calls.
append="console=ttyS0 quiet panic=-1 mitigations=off rdinit=/init test_vm.tests=$(IFS=,; echo "$*")"
if [ -n "${VM_DOC+set}" ]; then
	read -ra doc_args <<<"$VM_DOC"
	append+=" test_vm.doc=$(IFS=,; echo "${doc_args[*]}")"
fi

echo "test-vm: $(cat "$kernel/version"), ${accel[1]%%,*}, $(du -h "$initramfs" | cut -f1) initramfs, timeout ${timeout}s"
start=$(date +%s)
# -serial stdio with stdin from /dev/null: the console is output only, and
# the host's terminal is left alone. sed -u drops the serial line's \r as
# each line arrives.
# 2G: the guest's root is the unpacked initramfs (with python for the docs'
# run) in a tmpfs of half the memory, and a checkout under /tmp and the
# tests' files live there too; 1G ran out of space.
timeout -k 10 "$timeout" "$qemu" "${accel[@]}" \
	-m "${VM_MEM:-2G}" -smp "${VM_SMP:-2}" \
	-nodefaults -no-user-config -display none -serial stdio -no-reboot \
	-kernel "$kernel/vmlinuz" -initrd "$initramfs" -append "$append" \
	</dev/null 2>&1 | sed -u 's/\r$//' | tee "$log"
qemu_status=${PIPESTATUS[0]}
elapsed=$(($(date +%s) - start))

if [ "$qemu_status" -eq 124 ] || [ "$qemu_status" -eq 137 ]; then
	fail "the guest did not finish within ${timeout}s and was killed (VM_TIMEOUT=$timeout); log in $log"
fi
status=$(sed -n 's/^TEST-VM-EXIT=\([0-9]*\)$/\1/p' "$log" | tail -1)
[ -n "$status" ] ||
	fail "the guest stopped after ${elapsed}s without reporting the suite's status (qemu exit $qemu_status); log in $log"
echo "test-vm: the suite exited $status in the VM (${elapsed}s in all)"
exit "$status"
