-- arguments from the command line
print("args: " .. #arg .. " " .. table.concat(arg, ",") .. " script " .. arg[0])
