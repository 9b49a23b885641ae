/*
 * BGSAVE and BGREWRITEAOF of a unikit image. Both fork a child that writes
 * the snapshot while the parent keeps serving; a unikit image is one
 * process, fork() is ENOSYS, and redis' own answer to a failed fork is a
 * bare "-ERR" (the reason goes only to the log). meson.build compiles
 * commands.c (the command table) with bgsaveCommand and bgrewriteaofCommand
 * renamed to these, which answer why and what works instead. redis calls
 * rdbSaveBackground() on its own too (save points, replication): those
 * paths still fail as on a Linux whose fork fails, with redis' log line.
 */
#include "server.h"

void redis_unikit_bgsave(client *c)
{
	addReplyError(c,
		      "BGSAVE needs fork(), which a unikit image does not have "
		      "(one process): use SAVE, or SHUTDOWN SAVE");
}

void redis_unikit_bgrewriteaof(client *c)
{
	addReplyError(
		c,
		"BGREWRITEAOF needs fork(), which a unikit image does not "
		"have (one process): the append-only file cannot be rewritten");
}
