#!/bin/sh
# tests/bad_inputs.sh - placeholder replaced by the bad-input corpus runner
exit 0
