# `unikit debug` stopped at main of the threads test app: main's callers,
# a global, then uk-threads once the six threads exist (the consumer runs
# first; the others are asleep or blocked), then the app to its end.
bt
print items
break consumer
continue
uk-threads 6
delete
continue
