/* SPDX-License-Identifier: GPL-2.0 */
/* See ../fuzz_shim.h. */
#include "../fuzz_shim.h"
