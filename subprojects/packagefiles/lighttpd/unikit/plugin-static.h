/*
 * The modules linked into unikit's lighttpd image (LIGHTTPD_STATIC): a
 * module is loaded when server.modules names it, or by default
 * (mod_indexfile, mod_dirlisting, mod_staticfile). plugin.c includes this
 * list twice, with PLUGIN_INIT() defined differently each time.
 */
PLUGIN_INIT(mod_access)
PLUGIN_INIT(mod_accesslog)
PLUGIN_INIT(mod_alias)
PLUGIN_INIT(mod_deflate)
PLUGIN_INIT(mod_dirlisting)
PLUGIN_INIT(mod_expire)
PLUGIN_INIT(mod_indexfile)
PLUGIN_INIT(mod_setenv)
PLUGIN_INIT(mod_staticfile)
PLUGIN_INIT(mod_status)
