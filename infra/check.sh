#!/usr/bin/env bash
# Static checks of the Terraform deployment, run by `make test` from the repo
# root (it also works from anywhere: it moves to the repo root first).
#
#   1. terraform fmt -check -recursive infra/terraform
#   2. every `#checkov:skip=` carries a check id and a reason
#   3. checkov, offline, on infra/terraform: any failed check that is not
#      skipped inline with a reason fails this script.
#
# Checkov only knows severities when it downloads policy metadata from its
# vendor's platform with an API key; offline, every finding's severity is
# empty. So every failed check counts: it must be fixed, or skipped inline
# with `#checkov:skip=CKV_...:<reason>` next to the resource.
#
# Checkov lives in its own virtual environment (.venv-infra/ at the repo root)
# because its many dependencies would conflict with the application's. The
# first run installs it (a minute or two); later runs reuse it.
#
# Environment:
#   CHECKOV_REQUIREMENT  pip requirement for checkov (default: the version
#                        these files were checked with; newer releases add
#                        checks, so an upgrade is a deliberate change)
#   TERRAFORM            terraform binary (default: terraform on PATH, else
#                        /usr/local/bin/terraform)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TF_DIR="infra/terraform"
VENV=".venv-infra"
CHECKOV_REQUIREMENT="${CHECKOV_REQUIREMENT:-checkov==3.3.30}"
# A reason must say something: at least this many characters.
MIN_REASON_CHARS=20

fail() {
    echo "infra/check.sh: FAILED: $*" >&2
    exit 1
}

# --- 1. terraform fmt ---------------------------------------------------------
TERRAFORM="${TERRAFORM:-}"
if [[ -z "$TERRAFORM" ]]; then
    if command -v terraform >/dev/null 2>&1; then
        TERRAFORM="$(command -v terraform)"
    elif [[ -x /usr/local/bin/terraform ]]; then
        TERRAFORM=/usr/local/bin/terraform
    else
        fail "terraform not found (expected on PATH or at /usr/local/bin/terraform)"
    fi
fi

echo "infra/check.sh: terraform fmt -check -recursive $TF_DIR"
# No provider is needed (nor downloaded) by fmt. The CLI warns on stderr when
# ~/.terraformrc is missing; point it at an empty file instead.
empty_rc="$(mktemp)"
trap 'rm -f "$empty_rc"' EXIT
if ! TF_CLI_CONFIG_FILE="$empty_rc" "$TERRAFORM" fmt -check -recursive -diff "$TF_DIR"; then
    fail "Terraform files are not formatted: run 'terraform fmt -recursive $TF_DIR'"
fi

# --- 2. inline skips carry a reason -----------------------------------------
echo "infra/check.sh: checking that every checkov skip has a reason"
bad_skips="$(grep -rn --include='*.tf' 'checkov:skip' "$TF_DIR" \
    | grep -Ev "#checkov:skip=CKV2?_[A-Z0-9]+_[0-9]+:.{${MIN_REASON_CHARS},}" || true)"
if [[ -n "$bad_skips" ]]; then
    echo "$bad_skips" >&2
    fail "checkov skips above lack a reason; write '#checkov:skip=CKV_...:<why this is acceptable>'"
fi

# --- 3. checkov ---------------------------------------------------------------
want_version="${CHECKOV_REQUIREMENT#checkov==}"
have_version=""
if [[ -x "$VENV/bin/checkov" ]]; then
    have_version="$("$VENV/bin/checkov" --version 2>/dev/null || true)"
fi
if [[ -z "$have_version" || ( "$want_version" != "$CHECKOV_REQUIREMENT" && "$have_version" != "$want_version" ) ]]; then
    echo "infra/check.sh: installing $CHECKOV_REQUIREMENT into $VENV/ (first run only, takes a while)"
    if [[ ! -x "$VENV/bin/python" ]]; then
        python3 -m venv "$VENV" || fail "could not create the virtual environment $VENV"
    fi
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "$CHECKOV_REQUIREMENT" \
        || fail "could not install $CHECKOV_REQUIREMENT into $VENV"
fi

echo "infra/check.sh: checkov $("$VENV/bin/checkov" --version) on $TF_DIR (offline)"
# Offline: no policy download from the vendor's platform (--skip-download,
# BC_SKIP_MAPPING), no "new version available" query, no API key.
set +e
env -u BC_API_KEY -u PRISMA_API_URL \
    BC_SKIP_MAPPING=TRUE \
    CKV_SKIP_PACKAGE_UPDATE_CHECK=true \
    LOG_LEVEL=ERROR \
    timeout 600 "$VENV/bin/checkov" \
    --directory "$TF_DIR" \
    --framework terraform \
    --skip-download \
    --download-external-modules false \
    --compact \
    --quiet \
    --output cli
status=$?
set -e
case "$status" in
    0) ;;
    124) fail "checkov did not finish within 10 minutes" ;;
    1) fail "checkov reports the findings above: fix them, or skip each inline with '#checkov:skip=CKV_...:<reason>'" ;;
    *) fail "checkov exited with status $status" ;;
esac

echo "infra/check.sh: OK (terraform fmt, checkov: no unexplained finding)"
