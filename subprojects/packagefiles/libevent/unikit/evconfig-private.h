/*
 * evconfig-private.h for libevent 2.1.12 on unikit + musl: the feature
 * macros configure's AC_USE_SYSTEM_EXTENSIONS turns on for libevent's own
 * sources (not for its users). On musl only _GNU_SOURCE matters: it exposes
 * accept4, pipe2, strsep, vasprintf and the like.
 */
#ifndef EVCONFIG_PRIVATE_H_INCLUDED_
#define EVCONFIG_PRIVATE_H_INCLUDED_
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#endif
