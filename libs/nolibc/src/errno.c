/* SPDX-License-Identifier: BSD-3-Clause */
/* errno: one global for now; per-thread once there is a scheduler. */
#include <errno.h>

int errno;
