// SPDX-License-Identifier: GPL-2.0
/*
 * Instantiates the hv_netvsc tracepoints declared in netvsc_trace.h.
 */
#define CREATE_TRACE_POINTS
#include "netvsc_trace.h"
