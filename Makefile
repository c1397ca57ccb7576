# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of hv_netvsc, and the entry points of the test harness.
#
#   make                 build the driver against KDIR (default: running kernel)
#   make install         install it into KDIR's kernel updates/ and run depmod
#   make check           build everything and run the whole test suite in a VM
#   make check DEBUG=1   the same on the debug kernel (KASAN, lockdep, kmemleak)
#   make check ISOLATION=1  the NIC and ethtool files with the simulated host
#                        playing a Confidential VM (ISOLATION=tdx for TDX)
#   make demo            show the driver at work in a VM
#   make bench           our driver beside the in-tree one and veth, in a VM
#   make fuzz [FUZZ_SECONDS=N]  libFuzzer on the host-input parsers, N s each
#   make soak [MINUTES]  concurrency soak, debug kernel (DRIVER=, SEED=)
#   make deb             the Debian package hv-netvsc-dkms (packaging/out/)
#   make dkms-install    the same sources into DKMS by hand (dkms-remove)
#   make intree          the driver merged into a kernel tree, built as a
#                        module and built in (not part of make check)
#   make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(CURDIR)
# The one version (Documentation/networking/hv_netvsc.rst, "Version and
# identity").
VERSION := $(shell cat $(CURDIR)/VERSION)
# The release modules_install installs for (Debian's headers carry it here,
# not in include/config/kernel.release).
KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)

.PHONY: all modules install modules_install clean check demo bench fuzz soak help \
	deb dkms-install dkms-remove intree

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

install modules_install: modules
	$(MAKE) -C $(KDIR) M=$(PWD) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KRELEASE)

deb:
	packaging/deb

# DKMS without the package: the package's files, the version filled in
dkms-install:
	packaging/stage --dkms-version /usr/src/hv_netvsc-$(VERSION)
	dkms install hv_netvsc/$(VERSION)

dkms-remove:
	dkms remove hv_netvsc/$(VERSION) --all
	rm -rf /usr/src/hv_netvsc-$(VERSION)

intree:
	tools/testing/harness/intree-build

clean:
	@if [ -d $(KDIR) ]; then $(MAKE) -C $(KDIR) M=$(PWD) clean; fi
	rm -rf tools/testing/results tools/testing/fuzz/build packaging/out

check:
	tools/testing/harness/check $(if $(DEBUG),--debug) $(if $(DRIVERS),--drivers "$(DRIVERS)") \
		$(if $(ISOLATION),--isolation $(if $(filter tdx,$(ISOLATION)),tdx,snp))

demo:
	tools/testing/harness/demo $(if $(DEBUG),--debug)

bench:
	tools/testing/bench/run

# Seconds of fuzzing per target (tools/testing/fuzz/run; 0: replay only).
FUZZ_SECONDS ?= 600
fuzz:
	tools/testing/fuzz/run --seconds $(FUZZ_SECONDS)

# `make soak 5` (or MINUTES=5): the loops run 5 minutes (default 10);
# DRIVER=intree soaks the in-tree driver, SEED=N replays the choices of a
# run, NORMAL=1 uses the normal kernel.  Not part of make check.
ifeq (soak,$(firstword $(MAKECMDGOALS)))
SOAK_ARGS := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
ifneq ($(SOAK_ARGS),)
MINUTES ?= $(firstword $(SOAK_ARGS))
$(eval $(SOAK_ARGS):;@:)
endif
endif
MINUTES ?= 10
soak:
	tools/testing/soak/run $(if $(NORMAL),--normal) $(if $(DRIVER),--driver $(DRIVER)) \
		$(if $(SEED),--seed $(SEED)) $(MINUTES)

help:
	@sed -n '3,18p' Makefile
