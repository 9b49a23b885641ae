/* SPDX-License-Identifier: BSD-3-Clause */
/* A non-PIE static program (musl-gcc -static -no-pie), linked at various
 * addresses by tests/spawn/meson.build. */
#include <stdio.h>

int main(void)
{
	printf("non-PIE hello\n");
	return 0;
}
