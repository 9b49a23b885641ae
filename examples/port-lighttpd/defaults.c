/*
 * main() of the lighttpd image: without arguments it runs what the image is
 * for, the server in the foreground with the configuration of the initrd:
 *   lighttpd -D -f /etc/lighttpd/lighttpd.conf
 * (lighttpd has no compiled-in configuration path, and without -D it would
 * fork into the background.) Arguments on the command line replace these.
 * lighttpd's own main() is compiled as port_main; it runs on main()'s stack
 * (the option main_stack_size, 1 MiB: lighttpd needs about 256 KiB).
 */
int port_main(int argc, char **argv);

int main(int argc, char **argv)
{
	static char *dflt[] = {"lighttpd", "-D", "-f",
			       "/etc/lighttpd/lighttpd.conf", 0};

	if (argc < 2)
		return port_main(4, dflt);
	return port_main(argc, argv);
}
