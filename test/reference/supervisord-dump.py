#!/usr/bin/python3
"""Reference dumper: what does supervisord 4.2 itself make of a config file?

Usage (run with Debian's /usr/bin/python3, which has `supervisor` installed):

    /usr/bin/python3 test/reference/supervisord-dump.py [--no-host-checks] -c FILE

Prints ONE JSON document in the schema of `steward config dump --json`
(docs: config-dump-schema.md), built from supervisord's own parser:
`ServerOptions().realize(args=['-c', FILE])` -- the exact call supervisord's
main() makes -- and nothing after it (no logger, no sockets, no pidfile, no
AUTO logs, no daemonizing, no setuid).

* A config supervisord rejects -> {"error": "<text after 'Error: '>"} (exit 0).
* A Python traceback inside supervisor -> {"error": str(exc), "crash": true},
  with the traceback on stderr.
* --no-host-checks: supervisor.datatypes' directory checks and passwd/group
  lookups are replaced (in datatypes AND in supervisor.options, which imported
  the names directly) by versions that accept anything.

The dump reads supervisord's data structures; the few values supervisord
converts irreversibly (process `user` -> uid, unix `chown` -> (uid, gid),
fcgi `socket_owner`) are read back as supervisord itself read them: the
`user` string by recording the argument supervisord passes to name_to_uid,
the others with the parser's own `saneget` on the captured parser.
"""
import json
import os
import sys
import traceback
import zlib

NO_HOST_CHECKS = '--no-host-checks'


class UsageError(Exception):
    """Raised instead of supervisord's usage(): 'Error: <msg>' + exit(2)."""


def fake_id(name):
    """Stable fake uid/gid for --no-host-checks: numbers stay numbers,
    'root' is 0, any other name hashes to 100000..199999."""
    try:
        return int(name)
    except ValueError:
        if name == 'root':
            return 0
        return 100000 + zlib.crc32(name.encode('utf-8', 'surrogateescape')) % 100000


def disable_host_checks(dt, so):
    """Patch the filesystem / passwd dependent converters in both modules."""
    def existing_directory(v):
        return os.path.expanduser(v)       # the success path of the real one

    def existing_dirpath(v):
        return os.path.expanduser(v)

    def colon_separated_user_group(arg):
        parts = arg.split(':', 1)
        gid = fake_id(parts[1]) if len(parts) == 2 else -1
        return (fake_id(parts[0]), gid)

    fakes = {
        'existing_directory': existing_directory,
        'existing_dirpath': existing_dirpath,
        'name_to_uid': fake_id,
        'name_to_gid': fake_id,
        'gid_for_uid': lambda uid: uid,
        'colon_separated_user_group': colon_separated_user_group,
    }
    for mod in (dt, so):
        for name, fn in fakes.items():
            if hasattr(mod, name):
                setattr(mod, name, fn)


def parse(args, host_checks):
    """Run supervisord's parser; return (options, capture) or raise."""
    import supervisor.datatypes as dt
    import supervisor.options as so

    if not host_checks:
        disable_host_checks(dt, so)

    capture = {'user': None, 'parser': None, 'created_groups': [],
               'fcgi_section': {}}

    # Record the (expanded) user string supervisord hands to name_to_uid:
    # that is the process `user` "as written".
    real_name_to_uid = so.name_to_uid

    def name_to_uid(name):
        capture['user'] = name
        return real_name_to_uid(name)
    so.name_to_uid = name_to_uid

    # Record every ProcessGroupConfig in creation order.  process_groups_from_parser
    # creates all [group:x] groups first, then the [program:x] ones (FastCGI
    # groups call the same __init__ but are told apart by their class).
    real_pgc_init = so.ProcessGroupConfig.__init__

    def pgc_init(self, *a, **kw):
        real_pgc_init(self, *a, **kw)
        capture['created_groups'].append(self)
    so.ProcessGroupConfig.__init__ = pgc_init

    options = so.ServerOptions()

    def usage(msg):
        raise UsageError(str(msg))
    options.usage = usage

    real_pgfp = options.process_groups_from_parser

    def process_groups_from_parser(parser):
        capture['parser'] = parser     # the parser after includes/%(here)s
        return real_pgfp(parser)
    options.process_groups_from_parser = process_groups_from_parser

    real_pfs = options.processes_from_section

    def processes_from_section(parser, section, group_name, klass=None):
        capture['user'] = None
        if klass is so.FastCGIProcessConfig:
            capture['fcgi_section'][group_name] = section
        procs = real_pfs(parser, section, group_name, klass)
        for p in procs:
            p.dump_user = capture['user']
        return procs
    options.processes_from_section = processes_from_section

    options.realize(args=args)
    return options, capture


def signal_name(num):
    """Linux name without SIG (Python's canonical names: ABRT not IOT,
    CHLD, IO, ...).  0 (accepted by supervisord) has no name -> "0"."""
    import signal
    try:
        return signal.Signals(num).name[3:]
    except ValueError:
        return str(num)


def dump_process(p, dt):
    def logfile(v):
        if v is dt.Automatic:
            return 'AUTO'
        return v                                    # None or the path string

    autorestart = {dt.RestartUnconditionally: 'true', False: 'false',
                   dt.RestartWhenExitUnexpected: 'unexpected'}[p.autorestart]
    d = {
        'name': p.name, 'command': p.command, 'directory': p.directory,
        'umask': p.umask, 'priority': p.priority,
        'autostart': bool(p.autostart), 'autorestart': autorestart,
        'startsecs': p.startsecs, 'startretries': p.startretries,
        'stopwaitsecs': p.stopwaitsecs, 'exitcodes': list(p.exitcodes),
        'stopsignal': signal_name(p.stopsignal),
        'stopasgroup': bool(p.stopasgroup), 'killasgroup': bool(p.killasgroup),
        'user': p.dump_user, 'redirect_stderr': bool(p.redirect_stderr),
        'environment': dict(p.environment or {}), 'serverurl': p.serverurl,
    }
    for ch in ('stdout', 'stderr'):
        d[ch + '_logfile'] = logfile(getattr(p, ch + '_logfile'))
        for k in ('logfile_maxbytes', 'logfile_backups', 'capture_maxbytes'):
            d['%s_%s' % (ch, k)] = getattr(p, '%s_%s' % (ch, k))
        for k in ('events_enabled', 'syslog'):
            d['%s_%s' % (ch, k)] = bool(getattr(p, '%s_%s' % (ch, k)))
    return d


def dump(options, capture):
    import socket
    import supervisor.datatypes as dt
    import supervisor.options as so
    from supervisor import events, loggers

    parser = capture['parser']
    sv = options.configroot.supervisord
    levels = dict((v, k) for k, v in vars(loggers.LevelsByDescription).items()
                  if not k.startswith('_'))
    supervisord = {
        'logfile': options.logfile,        # realize() normalised it (or 'syslog')
        'logfile_maxbytes': options.logfile_maxbytes,
        'logfile_backups': options.logfile_backups,
        'loglevel': levels[options.loglevel],
        'pidfile': options.pidfile,
        'umask': options.umask,
        'nodaemon': bool(options.nodaemon), 'silent': bool(options.silent),
        'nocleanup': bool(options.nocleanup),
        'strip_ansi': bool(options.strip_ansi),
        'minfds': options.minfds, 'minprocs': options.minprocs,
        'childlogdir': options.childlogdir, 'user': options.user,
        'directory': options.directory, 'identifier': options.identifier,
        'environment': dict(sv.environment),
    }

    # server_configs is already "all inet, then all unix", each in file order.
    servers = []
    for c in options.server_configs:
        s = {'name': c['name'], 'username': c['username'],
             'password': c['password']}
        if c['family'] == socket.AF_INET:
            s.update(kind='inet_http_server', host=c['host'], port=c['port'])
        else:
            # chown was converted to (uid, gid): re-read it exactly as
            # server_configs_from_parser did (parser.saneget, no extras).
            s.update(kind='unix_http_server', file=c['file'], chmod=c['chmod'],
                     chown=parser.saneget(c['section'], 'chown', None))
        servers.append(s)

    n_group_sections = len([s for s in parser.sections()
                            if s.startswith('group:')])
    # position (by identity: __eq__ compares by value) among plain groups
    plain = [id(g) for g in capture['created_groups']
             if type(g) is so.ProcessGroupConfig]
    groups = []
    for g in options.process_group_configs:   # already sorted by supervisord
        d = {'name': g.name, 'priority': g.priority,
             'processes': [dump_process(p, dt) for p in g.process_configs]}
        if isinstance(g, so.EventListenerPoolConfig):
            h = g.result_handler
            d.update(kind='eventlistener', buffer_size=g.buffer_size,
                     events=sorted(events.getEventNameByType(e)
                                   for e in g.pool_events),
                     result_handler='%s:%s' % (h.__module__, h.__qualname__))
        elif isinstance(g, so.FastCGIGroupConfig):
            sc = g.socket_config
            unix = isinstance(sc, dt.UnixStreamSocketConfig)
            # socket_owner / user read back as process_groups_from_parser
            # did (only `here` besides ENV_*).
            section = capture['fcgi_section'][g.name]
            exp = {'here': options.here}
            owner = parser.saneget(section, 'socket_owner', None, expansions=exp)
            user = parser.saneget(section, 'user', None, expansions=exp)
            if owner is None and unix and user not in (None, 'root', '0'):
                owner = user         # supervisord (as root) chowns to the user
            d.update(kind='fcgi-program', socket=sc.url,
                     socket_backlog=sc.backlog,
                     socket_mode=sc.mode if unix else None,
                     socket_owner=owner)
        elif plain.index(id(g)) < n_group_sections:
            d['kind'] = 'group'
        else:
            d['kind'] = 'program'
        groups.append(d)

    return {'supervisord': supervisord, 'servers': servers,
            'serverurl': options.serverurl, 'groups': groups,
            'warnings': list(options.parse_warnings)}


def restore_exec_environment():
    """Make os.environ exactly the environment this command was started with.

    Under `env -i` (C locale) Python's PEP 538 locale coercion adds
    LC_CTYPE=C.UTF-8 to os.environ, which supervisord would then offer as
    %(ENV_LC_CTYPE)s (and list in "Available names: ...").  That is an
    artefact of the interpreter, not of the config, so undo it from the
    kernel's copy of the exec-time environment (Linux only; no-op elsewhere).
    """
    try:
        with open('/proc/self/environ', 'rb') as f:
            raw = f.read()
    except OSError:
        return
    orig = {}
    for item in raw.split(b'\0'):
        if b'=' in item:
            k, v = item.split(b'=', 1)
            orig.setdefault(os.fsdecode(k), os.fsdecode(v))
    for k in list(os.environ):
        if k not in orig:
            del os.environ[k]
    for k, v in orig.items():
        if os.environ.get(k) != v:
            os.environ[k] = v


def main(argv):
    restore_exec_environment()      # before supervisor reads os.environ
    host_checks = NO_HOST_CHECKS not in argv
    args = [a for a in argv if a != NO_HOST_CHECKS]   # rest goes to getopt
    try:
        options, capture = parse(args, host_checks)
        result = dump(options, capture)
    except UsageError as e:
        result = {'error': str(e)}
    except Exception as e:
        traceback.print_exc()
        result = {'error': str(e), 'crash': True}
    out = json.dumps(result, sort_keys=True, indent=2, ensure_ascii=False)
    sys.stdout.buffer.write((out + '\n').encode('utf-8'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
