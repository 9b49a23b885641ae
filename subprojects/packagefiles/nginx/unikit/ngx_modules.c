/*
 * The modules of unikit's nginx build (what auto/configure would write as
 * objs/ngx_modules.c). The order is nginx's: core, events, then http with
 * the handlers before the filters; filters run in the reverse of their
 * order here (each module's init puts itself at the head of the chain),
 * so write_filter, first here, runs last. meson.build compiles exactly
 * these modules' sources.
 */
#include <ngx_config.h>
#include <ngx_core.h>

#define M(name) extern ngx_module_t name;
#define MODULES(X)                                                             \
	X(ngx_core_module)                                                     \
	X(ngx_errlog_module)                                                   \
	X(ngx_conf_module)                                                     \
	X(ngx_events_module)                                                   \
	X(ngx_event_core_module)                                               \
	X(ngx_epoll_module)                                                    \
	X(ngx_http_module)                                                     \
	X(ngx_http_core_module)                                                \
	X(ngx_http_log_module)                                                 \
	X(ngx_http_upstream_module)                                            \
	X(ngx_http_static_module)                                              \
	X(ngx_http_autoindex_module)                                           \
	X(ngx_http_index_module)                                               \
	X(ngx_http_try_files_module)                                           \
	X(ngx_http_access_module)                                              \
	X(ngx_http_proxy_module)                                               \
	X(ngx_http_write_filter_module)                                        \
	X(ngx_http_header_filter_module)                                       \
	X(ngx_http_chunked_filter_module)                                      \
	X(ngx_http_range_header_filter_module)                                 \
	X(ngx_http_gzip_filter_module)                                         \
	X(ngx_http_postpone_filter_module)                                     \
	X(ngx_http_headers_filter_module)                                      \
	X(ngx_http_copy_filter_module)                                         \
	X(ngx_http_range_body_filter_module)                                   \
	X(ngx_http_not_modified_filter_module)

MODULES(M)

#define ADDR(name) &name,
#define NAME(name) #name,

ngx_module_t *ngx_modules[] = {MODULES(ADDR) NULL};
char *ngx_module_names[] = {MODULES(NAME) NULL};
