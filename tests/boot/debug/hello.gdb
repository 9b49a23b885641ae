# helloworld under `unikit debug`: main's frame, its arguments, on to the end
bt
print argc
print argv[1]
continue
