/* SPDX-License-Identifier: BSD-3-Clause */
/* stdout and stderr: both are the platform console. */
#include "stdio_impl.h"

static struct __nolibc_file stdout_file = {1};
static struct __nolibc_file stderr_file = {2};

FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;
