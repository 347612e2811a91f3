#!/bin/bash
# Dump every corpus entry with supervisord's own parser (supervisord-dump.py).
#
# Usage: test/reference/dump-corpus.sh OUTDIR [CORPUS_DIR] [-- EXTRA_ARGS...]
#   OUTDIR      receives <entry-id>.json for every entry
#   CORPUS_DIR  default /work/shared/corpus/supervisord-configs
#   EXTRA_ARGS  replace the default `--no-host-checks` (give `--` alone to
#               run WITH host checks)
#
# Conventions (the TypeScript side must use the same ones to compare):
#   * entry id: `NNN-name` for `NNN-name.conf` (a single file) and for
#     `NNN-name/` (a tree, main file `NNN-name/supervisord.conf`).
#   * the config is passed as `-c <absolute path>` (so error messages that
#     quote the file name contain that absolute path);
#   * working directory `/`;
#   * environment: exactly `env -i PATH=/usr/bin:/bin HOME=/root` plus the
#     lines of `NNN-name.env` if it exists: one KEY=VALUE per line, split at
#     the first `=`, VALUE taken literally (no quotes, no expansion; may be
#     empty or contain spaces); blank lines and lines starting with `#` are
#     skipped.  (With env -i, Python runs in the C locale, hence UTF-8 mode.)
#   * `--no-host-checks` by default.
set -u
here=$(cd "$(dirname "$0")" && pwd)
script="$here/supervisord-dump.py"
out=${1:?usage: $0 OUTDIR [CORPUS_DIR] [-- EXTRA_ARGS...]}
shift
corpus=/work/shared/corpus/supervisord-configs
if [ $# -gt 0 ] && [ "$1" != "--" ]; then corpus=$1; shift; fi
extra=(--no-host-checks)
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; extra=("$@"); fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
n=0
for entry in "$corpus"/[0-9]*; do
    case "$entry" in
        *.env) continue ;;
        *.conf) id=$(basename "$entry" .conf); conf=$entry ;;
        *) [ -d "$entry" ] || continue
           id=$(basename "$entry"); conf=$entry/supervisord.conf ;;
    esac
    envs=(PATH=/usr/bin:/bin HOME=/root)
    if [ -f "$corpus/$id.env" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in ''|'#'*) continue ;; esac
            envs+=("$line")
        done < "$corpus/$id.env"
    fi
    (cd / && env -i "${envs[@]}" /usr/bin/python3 "$script" "${extra[@]}" \
        -c "$conf") > "$out/$id.json" 2> "$out/$id.stderr"
    [ -s "$out/$id.stderr" ] || rm -f "$out/$id.stderr"
    n=$((n + 1))
done
echo "dumped $n entries into $out" >&2
