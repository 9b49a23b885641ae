# a crash dump of `fault null`, opened offline: the faulting function and
# its callers, a global from the dumped data, the faulting instruction
bt
print null_target
print (int)zero
x/i $pc
