#!/bin/sh
# The 1,000-app rows' idle app: no interpreter to boot, so a thousand of them fit in memory. It appends one line to
# BENCH_MARKS as its code runs (the harness counts lines: every app, then every app again after a restart), then
# becomes a long sleep under the same pid, so the tool's stop signal reaches it directly.
echo ran >> "$BENCH_MARKS"
exec sleep 86400
