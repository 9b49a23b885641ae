/* What redis' mkreleasehdr.sh writes from git and the build host (INFO
 * server's redis_git_sha1, redis_git_dirty, redis_build_id): a release
 * tarball has no git, for which the script writes these same values; the
 * build id names the build instead of a host and a time, so that builds
 * are reproducible. */
#define REDIS_GIT_SHA1 "00000000"
#define REDIS_GIT_DIRTY "0"
#define REDIS_BUILD_ID "unikit"
