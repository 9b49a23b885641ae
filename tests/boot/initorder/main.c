/* Boot test app: init functions registered out of order, in several classes
 * and priorities, and a constructor. The linker script must sort them; main()
 * prints the order they ran in and fails if it is wrong. */
#include <stdio.h>
#include <string.h>
#include <uk/init.h>

static char order[32];

static void mark(const char *s)
{
	strcat(order, s);
}

static int late_fn(void)
{
	mark("late ");
	return 0;
}
static int lib_prio7(void)
{
	mark("lib7 ");
	return 0;
}
static int lib_prio2(void)
{
	mark("lib2 ");
	return 0;
}
static int early_fn(void)
{
	mark("early ");
	return 0;
}

UK_INIT_CLASS(late_fn, UK_INIT_LATE, 5);
UK_INIT_CLASS(lib_prio7, UK_INIT_LIB, 7);
UK_INIT_CLASS(lib_prio2, UK_INIT_LIB, 2);
UK_INIT_CLASS(early_fn, UK_INIT_EARLY, 0);

__attribute__((constructor)) static void ctor(void)
{
	mark("ctor");
}

int main(void)
{
	const char *want = "early lib2 lib7 late ctor";

	printf("init order: %s\n", order);
	if (strcmp(order, want)) {
		printf("wrong order, expected: %s\n", want);
		return 1;
	}
	return 0;
}
