/* elfrun's page protection for the loader (kvm_protect.c). */
#ifndef ELFRUN_H
#define ELFRUN_H
#include <stddef.h>
int elfrun_kvm_protect(void *addr, size_t len, int prot);
#endif
