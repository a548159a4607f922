#!/bin/sh
# Mirrors one git ref (a branch or a tag) from a source repository to a target
# repository over https. It is the command of the mirror pipeline's Run step and runs
# under any POSIX sh (dash, bash, busybox ash) with git 2.32 or later.
#
# Every input arrives through the environment, never through the command text:
#   MIRROR_SOURCE_URL, MIRROR_TARGET_URL      https clone URLs, no user name or password
#   MIRROR_SOURCE_TOKEN, MIRROR_TARGET_TOKEN  access tokens (sent as the Basic password)
#   MIRROR_SOURCE_USERNAME, MIRROR_TARGET_USERNAME  Basic user names (default git;
#                              Bitbucket Cloud access tokens need x-token-auth)
#   MIRROR_REFERENCE           full ref name: refs/heads/NAME or refs/tags/NAME
#   MIRROR_REFERENCE_SHA_OLD   the ref's previous value on the source (from the webhook);
#                              empty or null = unknown, all zeros = the ref was created
#   MIRROR_SYNC_DELETE         true: mirror a deletion on the source; else skip it
#   MIRROR_REF_FILTERS         glob patterns on full ref names, separated by spaces or
#                              newlines (* and ? match any characters, / included);
#                              empty = every branch and tag
#   MIRROR_MODE                empty or ref (the only mode so far)
#   MIRROR_TWO_WAY             true or false (reserved; validated only)
#   MIRROR_RETRY_ATTEMPTS      optional, attempts for transient failures (default 4)
#   MIRROR_RETRY_DELAY         optional, first backoff in seconds, doubled each time (default 2)
# An optional input that is empty or the literal null counts as unset.
#
# What it does for the ref, always by name (never by a SHA taken from a webhook):
#   source and target equal         -> nothing to do (the echo run of a two-way pair)
#   target lacks the ref            -> create it
#   target is behind the source     -> fast-forward it
#   target equals the old SHA       -> overwrite it with --force-with-lease on that SHA
#                                      (the source was force-pushed or the tag moved)
#   target is ahead of the source   -> leave it (its own mirror run carries it back)
#   anything else                   -> fail: the target has commits the source lacks
#   source lacks the ref            -> a deletion: skipped unless MIRROR_SYNC_DELETE is
#                                      true; then deleted on the target only when the
#                                      target still holds the old SHA
# Annotated tags keep their tag object. The last line of output is a one-line summary.
#
# Credentials reach git only as an http.<url>.extraHeader set through GIT_CONFIG_COUNT
# environment variables, for the one command that talks to that URL: never in process
# arguments, URLs, files or output. git runs without system or global configuration.

# Whatever the runner put in front of this text (set -x would print the credential
# header, set -e would stop at the first checked failure), turn it off first.
set +x +v +e
set -u -f

EXIT_OK=0
EXIT_INTERNAL=1
EXIT_INVALID_INPUT=10
EXIT_UNSUPPORTED_MODE=11
EXIT_REF_FILTERED=12
EXIT_MISSING_TOOL=13
EXIT_AUTH_FAILED=20
EXIT_REPO_NOT_FOUND=21
EXIT_UNAVAILABLE=22
EXIT_TLS_FAILED=23
EXIT_GIT_FAILED=24
EXIT_NOT_FAST_FORWARD=30
EXIT_TARGET_MOVED=31
EXIT_DELETE_REFUSED=32
EXIT_PUSH_REJECTED=33

LC_ALL=C
export LC_ALL
TAB=$(printf '\t')
NL='
'
ZERO40=0000000000000000000000000000000000000000
ZERO64=0000000000000000000000000000000000000000000000000000000000000000
WORK=

# --- output -----------------------------------------------------------------------

say() {
  printf 'mirror: %s\n' "$*"
}

label_of() {
  case $1 in
    "$EXIT_OK") printf ok ;;
    "$EXIT_INVALID_INPUT") printf invalid-input ;;
    "$EXIT_UNSUPPORTED_MODE") printf unsupported-mode ;;
    "$EXIT_REF_FILTERED") printf ref-filtered ;;
    "$EXIT_MISSING_TOOL") printf missing-tool ;;
    "$EXIT_AUTH_FAILED") printf auth-failed ;;
    "$EXIT_REPO_NOT_FOUND") printf repo-not-found ;;
    "$EXIT_UNAVAILABLE") printf unavailable ;;
    "$EXIT_TLS_FAILED") printf tls-failed ;;
    "$EXIT_GIT_FAILED") printf git-failed ;;
    "$EXIT_NOT_FAST_FORWARD") printf not-fast-forward ;;
    "$EXIT_TARGET_MOVED") printf target-moved ;;
    "$EXIT_DELETE_REFUSED") printf delete-refused ;;
    "$EXIT_PUSH_REJECTED") printf push-rejected ;;
    *) printf internal ;;
  esac
}

# die CODE MESSAGE: prints the one failure line and exits with CODE.
die() {
  printf 'mirror: failed (exit %s %s): %s\n' "$1" "$(label_of "$1")" "$2"
  exit "$1"
}

# A value as it may be printed: hostile input never reaches the log raw.
shown() {
  case $1 in
    *[[:cntrl:]]*) printf '(%s characters, not shown: contains control characters)' "${#1}" ;;
    *)
      if [ "${#1}" -gt 300 ]; then
        printf '(%s characters, not shown: too long)' "${#1}"
      else
        printf "'%s'" "$1"
      fi
      ;;
  esac
}

unset_value() {
  [ -z "$1" ] || [ "$1" = null ]
}

# --- validation (no git command runs before it has passed) ------------------------

valid_url() {
  case $1 in
    https://?*/?*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[!A-Za-z0-9._~:/%+=,@-]*) return 1 ;;
  esac
  url_rest=${1#https://}
  url_authority=${url_rest%%/*}
  case $url_authority in
    *[!A-Za-z0-9.:-]*|[:.-]*|*:) return 1 ;;
  esac
  case $url_rest in
    *//*) return 1 ;;
  esac
  return 0
}

# The rules of git check-ref-format, restricted to refs/heads/ and refs/tags/.
valid_ref() {
  case $1 in
    refs/heads/?*|refs/tags/?*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[[:cntrl:]]*|*' '*|*'~'*|*'^'*|*':'*|*'?'*|*'*'*|*'['*|*'\'*) return 1 ;;
    */.*|*..*|*'@{'*|*//*|*/|*.|*.lock|*.lock/*) return 1 ;;
  esac
  [ "${#1}" -le 1024 ]
}

# Prints the normalized SHA (lowercase) or nothing; fails on anything but hex of 40 or 64.
normalized_sha() {
  case $1 in
    *[!0-9a-fA-F]*) return 1 ;;
  esac
  [ "${#1}" -eq 40 ] || [ "${#1}" -eq 64 ] || return 1
  printf '%s' "$1" | tr 'A-F' 'a-f'
}

# The pattern language shared with the trigger's ref filter: refs/..., no empty or
# dot-led component, * and ? as the only wildcards.
valid_pattern() {
  case $1 in
    refs/?*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[!A-Za-z0-9._/+@=,%#*?-]*) return 1 ;;
    *//*|*/|*..*|*.|*/.*|*.lock|*.lock/*) return 1 ;;
  esac
  return 0
}

invalid() {
  die "$EXIT_INVALID_INPUT" "$1"
}

MODE=${MIRROR_MODE-}
unset_value "$MODE" && MODE=ref
case $MODE in
  ref) ;;
  *) die "$EXIT_UNSUPPORTED_MODE" "mode $(shown "$MODE") is not supported; this script mirrors one ref (mode 'ref')" ;;
esac

TWO_WAY=${MIRROR_TWO_WAY-}
unset_value "$TWO_WAY" && TWO_WAY=false
case $TWO_WAY in
  true|false) ;;
  *) invalid "twoWay (MIRROR_TWO_WAY) must be true or false, got $(shown "$TWO_WAY")" ;;
esac

SYNC_DELETE=${MIRROR_SYNC_DELETE-}
unset_value "$SYNC_DELETE" && SYNC_DELETE=false
case $SYNC_DELETE in
  true|false) ;;
  *) invalid "syncDelete (MIRROR_SYNC_DELETE) must be true or false, got $(shown "$SYNC_DELETE")" ;;
esac

SOURCE_URL=${MIRROR_SOURCE_URL-}
TARGET_URL=${MIRROR_TARGET_URL-}
for url_var in sourceURL targetURL; do
  if [ "$url_var" = sourceURL ]; then url_value=$SOURCE_URL; else url_value=$TARGET_URL; fi
  unset_value "$url_value" && invalid "$url_var is required (an https clone URL)"
  valid_url "$url_value" || invalid "$url_var must be an https clone URL such as https://host/owner/repo.git, without user name or password, got $(shown "$url_value")"
done
[ "$SOURCE_URL" = "$TARGET_URL" ] && invalid "sourceURL and targetURL are the same repository"

SOURCE_USER=${MIRROR_SOURCE_USERNAME-}
TARGET_USER=${MIRROR_TARGET_USERNAME-}
unset_value "$SOURCE_USER" && SOURCE_USER=git
unset_value "$TARGET_USER" && TARGET_USER=git
for user_var in sourceUsername targetUsername; do
  if [ "$user_var" = sourceUsername ]; then user_value=$SOURCE_USER; else user_value=$TARGET_USER; fi
  case $user_value in
    *[!A-Za-z0-9._@+-]*) invalid "$user_var may contain only letters, digits and . _ @ + -, got $(shown "$user_value")" ;;
  esac
  [ "${#user_value}" -le 256 ] || invalid "$user_var is longer than 256 characters"
done

unset_value "${MIRROR_SOURCE_TOKEN-}" && invalid "sourceToken (MIRROR_SOURCE_TOKEN) is empty: the secret did not resolve"
unset_value "${MIRROR_TARGET_TOKEN-}" && invalid "targetToken (MIRROR_TARGET_TOKEN) is empty: the secret did not resolve"

REF=${MIRROR_REFERENCE-}
unset_value "$REF" && invalid "reference is required (a full ref name such as refs/heads/main)"
valid_ref "$REF" || invalid "reference must be a valid full ref name under refs/heads/ or refs/tags/, got $(shown "$REF")"
case $REF in
  refs/tags/*) REF_IS_TAG=true ;;
  *) REF_IS_TAG=false ;;
esac

# OLD_KIND: unknown (no old SHA), absent (all zeros: the ref was created) or sha.
OLD=${MIRROR_REFERENCE_SHA_OLD-}
if unset_value "$OLD"; then
  OLD_KIND=unknown
  OLD=
else
  OLD=$(normalized_sha "$OLD") || invalid "referenceShaOld must be a 40 or 64 digit hex SHA, empty or null, got $(shown "${MIRROR_REFERENCE_SHA_OLD-}")"
  case $OLD in
    "$ZERO40"|"$ZERO64") OLD_KIND=absent; OLD= ;;
    *) OLD_KIND=sha ;;
  esac
fi

FILTERS=${MIRROR_REF_FILTERS-}
unset_value "$FILTERS" && FILTERS=
if [ -n "$FILTERS" ]; then
  selected=false
  for pattern in $FILTERS; do
    valid_pattern "$pattern" || invalid "refFilters: $(shown "$pattern") is not a ref pattern (refs/..., letters, digits, . _ - / + @ = , % # and the wildcards * ?)"
    case $REF in
      $pattern) selected=true ;;
    esac
  done
  [ "$selected" = true ] || die "$EXIT_REF_FILTERED" "$REF matches none of refFilters ($(shown "$FILTERS")); nothing was mirrored"
fi

ATTEMPTS=${MIRROR_RETRY_ATTEMPTS-}
unset_value "$ATTEMPTS" && ATTEMPTS=4
case $ATTEMPTS in
  [1-9]|10) ;;
  *) invalid "MIRROR_RETRY_ATTEMPTS must be a number from 1 to 10, got $(shown "$ATTEMPTS")" ;;
esac
DELAY=${MIRROR_RETRY_DELAY-}
unset_value "$DELAY" && DELAY=2
case $DELAY in
  [0-9]|[1-5][0-9]|60) ;;
  *) invalid "MIRROR_RETRY_DELAY must be a number of seconds from 0 to 60, got $(shown "$DELAY")" ;;
esac

# --- tools and environment --------------------------------------------------------

for tool in git base64 tr mktemp rm sleep; do
  command -v "$tool" >/dev/null 2>&1 || die "$EXIT_MISSING_TOOL" "'$tool' is not installed in the step's image"
done
git_version=$(git version 2>/dev/null) || die "$EXIT_MISSING_TOOL" "git does not run"
git_version=${git_version#git version }
git_major=${git_version%%.*}
git_minor=${git_version#*.}
git_minor=${git_minor%%.*}
case $git_major$git_minor in
  *[!0-9]*|'') die "$EXIT_MISSING_TOOL" "cannot read the git version from $(shown "$git_version")" ;;
esac
if [ "$git_major" -lt 2 ] || { [ "$git_major" -eq 2 ] && [ "$git_minor" -lt 32 ]; }; then
  die "$EXIT_MISSING_TOOL" "git $git_version is too old; 2.32 or later is needed"
fi
git check-ref-format "$REF" || invalid "reference $(shown "$REF") is not a valid ref name (git check-ref-format)"

# No configuration but ours, no prompts, https only, no tracing that could print headers.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
  GIT_NAMESPACE GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT GIT_ASKPASS SSH_ASKPASS \
  GIT_SSL_NO_VERIFY GIT_SSH GIT_SSH_COMMAND GIT_PROXY_COMMAND GIT_CURL_VERBOSE GIT_TRACE \
  GIT_TRACE_CURL GIT_TRACE_CURL_NO_DATA GIT_TRACE_PACKET GIT_TRACE_PACKFILE GIT_TRACE_PERFORMANCE \
  GIT_TRACE_SETUP GIT_TRACE_PACK_ACCESS GIT_TRACE_SHALLOW GIT_TRACE_REFS GIT_TRACE_FSMONITOR \
  GIT_TRACE2 GIT_TRACE2_EVENT GIT_TRACE2_PERF GIT_TRACE2_ENV_VARS GIT_TRACE2_CONFIG_PARAMS \
  GIT_TRACE2_BRIEF GIT_TRACE2_EVENT_NESTING GIT_REDIRECT_STDERR
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=/dev/null
GIT_TERMINAL_PROMPT=0
GIT_ALLOW_PROTOCOL=https
GIT_HTTP_LOW_SPEED_LIMIT=${GIT_HTTP_LOW_SPEED_LIMIT:-1}
GIT_HTTP_LOW_SPEED_TIME=${GIT_HTTP_LOW_SPEED_TIME:-120}
export GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL GIT_TERMINAL_PROMPT GIT_ALLOW_PROTOCOL \
  GIT_HTTP_LOW_SPEED_LIMIT GIT_HTTP_LOW_SPEED_TIME

# The Basic credential (user name, password token) goes through a pipe, never argv:
# printf is a shell builtin.
basic_auth() {
  printf '%s:%s' "$1" "$2" | base64 | tr -d '\n'
}
SOURCE_AUTH="Authorization: Basic $(basic_auth "$SOURCE_USER" "$MIRROR_SOURCE_TOKEN")"
TARGET_AUTH="Authorization: Basic $(basic_auth "$TARGET_USER" "$MIRROR_TARGET_TOKEN")"
case $SOURCE_AUTH$NL$TARGET_AUTH in
  *"Basic $NL"*|*"Basic ") die "$EXIT_MISSING_TOOL" "base64 produced no output" ;;
esac
unset MIRROR_SOURCE_TOKEN MIRROR_TARGET_TOKEN

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mirror.XXXXXXXX") || die "$EXIT_INTERNAL" "cannot create a temporary directory"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
git init --quiet --bare --initial-branch=mirror "$WORK/repo.git" >"$WORK/err" 2>&1 ||
  die "$EXIT_INTERNAL" "git init failed in $WORK"
GIT_DIR=$WORK/repo.git
export GIT_DIR

# --- talking to the remotes ---------------------------------------------------------

# remote SIDE GIT-ARGS...: runs git with SIDE's credential (source or target), stdout to
# $WORK/out, stderr to $WORK/err. The header is scoped to SIDE's URL, and exists only in
# this command's environment. The scratch repository is thrown away: no maintenance.
remote() {
  if [ "$1" = source ]; then
    remote_url=$SOURCE_URL
    remote_auth=$SOURCE_AUTH
  else
    remote_url=$TARGET_URL
    remote_auth=$TARGET_AUTH
  fi
  shift
  (
    GIT_CONFIG_COUNT=3
    GIT_CONFIG_KEY_0="http.$remote_url.extraHeader"
    GIT_CONFIG_VALUE_0=$remote_auth
    GIT_CONFIG_KEY_1=credential.helper
    GIT_CONFIG_VALUE_1=
    GIT_CONFIG_KEY_2=maintenance.auto
    GIT_CONFIG_VALUE_2=false
    export GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0 GIT_CONFIG_KEY_1 GIT_CONFIG_VALUE_1 \
      GIT_CONFIG_KEY_2 GIT_CONFIG_VALUE_2
    exec git "$@"
  ) >"$WORK/out" 2>"$WORK/err"
}

read_err() {
  ERR_TEXT=
  while IFS= read -r err_line || [ -n "$err_line" ]; do
    ERR_TEXT=$ERR_TEXT$err_line$NL
  done <"$WORK/err"
}

# Prints git's error output (it never holds a credential), indented, at most 20 lines.
show_err() {
  err_count=0
  while IFS= read -r err_line || [ -n "$err_line" ]; do
    err_count=$((err_count + 1))
    [ "$err_count" -le 20 ] && printf 'mirror:   | %s\n' "$err_line"
  done <"$WORK/err"
}

# The table of failure patterns (LC_ALL=C keeps git's messages stable): sets FAIL_CODE
# from git's error output, and FAIL_WHY to a short reason.
classify() {
  read_err
  case $ERR_TEXT in
    *"could not read Username"*|*"could not read Password"*|*"Authentication failed"*|*"terminal prompts disabled"*|*"returned error: 401"*|*"HTTP 401"*)
      FAIL_CODE=$EXIT_AUTH_FAILED; FAIL_WHY="authentication refused (HTTP 401): check the token" ;;
    *"returned error: 403"*|*"HTTP 403"*|*"Permission denied"*|*"permission denied"*)
      FAIL_CODE=$EXIT_AUTH_FAILED; FAIL_WHY="access denied (HTTP 403): the token lacks the permission" ;;
    *"returned error: 404"*|*"HTTP 404"*|*"not found"*|*"does not appear to be a git repository"*)
      FAIL_CODE=$EXIT_REPO_NOT_FOUND; FAIL_WHY="repository not found (HTTP 404): check the URL and that the token can see it" ;;
    *"SSL certificate problem"*|*"certificate verification failed"*|*"server certificate"*)
      FAIL_CODE=$EXIT_TLS_FAILED; FAIL_WHY="TLS certificate not trusted" ;;
    *"returned error: 5"[0-9][0-9]*|*"HTTP 5"[0-9][0-9]*)
      FAIL_CODE=$EXIT_UNAVAILABLE; FAIL_WHY="server error (HTTP 5xx)" ;;
    *"Failed to connect"*|*"Couldn't connect"*|*"Connection refused"*|*"Connection reset"*|*"Connection timed out"*|*"Operation timed out"*|*"Operation too slow"*|*"Could not resolve host"*|*"Could not resolve proxy"*|*"Empty reply from server"*|*"RPC failed"*|*"early EOF"*|*"remote end hung up"*|*"transfer closed"*|*"SSL_ERROR_SYSCALL"*|*"recv error"*|*"send error"*|*"handshake failed"*|*"unexpected disconnect"*)
      FAIL_CODE=$EXIT_UNAVAILABLE; FAIL_WHY="connection failed" ;;
    *)
      FAIL_CODE=$EXIT_GIT_FAILED; FAIL_WHY="git failed" ;;
  esac
}

# remote_failed SIDE WHAT: reports the classified failure of the last remote command.
remote_failed() {
  classify
  show_err
  if [ "$1" = source ]; then failed_url=$SOURCE_URL; else failed_url=$TARGET_URL; fi
  FAIL_MSG="$REF: $2 on $1 $failed_url: $FAIL_WHY"
  return "$FAIL_CODE"
}

# ref_value SIDE: sets VALUE to the ref's value on SIDE (empty when absent).
ref_value() {
  if [ "$1" = source ]; then ls_url=$SOURCE_URL; else ls_url=$TARGET_URL; fi
  remote "$1" ls-remote -- "$ls_url" "$REF" ||
    { remote_failed "$1" "ls-remote failed"; return; }
  VALUE=
  while IFS= read -r ls_line || [ -n "$ls_line" ]; do
    case $ls_line in
      *"$TAB$REF") VALUE=${ls_line%%"$TAB"*} ;;
    esac
  done <"$WORK/out"
  return 0
}

# fetch SIDE LOCALREF: fetches the ref by name from SIDE into LOCALREF and sets FETCHED.
fetch() {
  if [ "$1" = source ]; then fetch_url=$SOURCE_URL; else fetch_url=$TARGET_URL; fi
  if ! remote "$1" fetch --quiet --no-tags --no-write-fetch-head --no-recurse-submodules -- "$fetch_url" "+$REF:$2"; then
    read_err
    case $ERR_TEXT in
      *"couldn't find remote ref"*) FETCHED= ; return 0 ;;
    esac
    remote_failed "$1" "fetch failed"
    return
  fi
  FETCHED=$(git rev-parse --verify --quiet "$2") || FETCHED=
  return 0
}

# push GIT-PUSH-ARGS...: pushes to the target. Returns 0 when done, 75 when the target
# changed under us (try again), or a failure code with FAIL_MSG set.
push() {
  remote target push --porcelain "$@"
  push_status=$?
  PUSH_FLAG=
  PUSH_SUMMARY=
  while IFS= read -r push_line || [ -n "$push_line" ]; do
    case $push_line in
      ?"$TAB"*:"$REF$TAB"*)
        PUSH_FLAG=${push_line%%"$TAB"*}
        PUSH_SUMMARY=${push_line##*"$TAB"}
        ;;
    esac
  done <"$WORK/out"
  case $PUSH_FLAG in
    ' '|'+'|'*'|'-'|'=') return 0 ;;
    '!')
      read_err
      case $PUSH_SUMMARY in
        *"(stale info)"*|*"(fetch first)"*|*"(non-fast-forward)"*|*"(already exists)"*) return 75 ;;
      esac
      case $ERR_TEXT in
        *"but expected"*|*"reference already exists"*|*"reference is missing"*|*"unable to resolve reference"*) return 75 ;;
      esac
      show_err
      FAIL_CODE=$EXIT_PUSH_REJECTED
      FAIL_MSG="$REF: the target refused the push: $PUSH_SUMMARY (a protected ref, a hook or a permission on the target)"
      return "$FAIL_CODE"
      ;;
  esac
  [ "$push_status" -eq 0 ] && return 0
  remote_failed target "push failed"
}

short() {
  if [ -z "$1" ]; then printf '(none)'; else printf '%s' "$1"; fi
}

done_ok() {
  SUMMARY="ok: $REF: target $(short "$1") -> $(short "$2"): $3"
  return 0
}

is_ancestor() {
  git merge-base --is-ancestor "$1" "$2" 2>/dev/null
}

# --- one attempt ----------------------------------------------------------------------

# sync_once: decides and acts once. Returns 0 with SUMMARY set, 75 when the target or
# source changed during the attempt, or a failure code with FAIL_MSG set.
sync_once() {
  ref_value source || return
  SRC=$VALUE
  ref_value target || return
  TGT=$VALUE

  if [ -z "$SRC" ]; then
    sync_delete
    return
  fi
  if [ "$SRC" = "$TGT" ]; then
    done_ok "$TGT" "$TGT" "already in sync, nothing to do"
    return
  fi

  fetch source refs/mirror/source || return
  [ -n "$FETCHED" ] || return 75
  SRC=$FETCHED
  [ "$SRC" = "$TGT" ] && { done_ok "$TGT" "$TGT" "already in sync, nothing to do"; return; }

  if [ -z "$TGT" ]; then
    if [ "$OLD_KIND" = sha ] && [ "$REF_IS_TAG" = false ]; then
      say "$REF is missing on the target; creating it"
    fi
    push --force-with-lease="$REF:" -- "$TARGET_URL" "refs/mirror/source:$REF" || return
    done_ok "" "$SRC" "created on target"
    return
  fi

  if [ "$REF_IS_TAG" = false ] && ! git cat-file -e "$TGT" 2>/dev/null; then
    fetch target refs/mirror/target || return
    [ -n "$FETCHED" ] || return 75
    [ "$FETCHED" = "$TGT" ] || return 75
  fi

  if [ "$REF_IS_TAG" = false ] && is_ancestor "$TGT" "$SRC"; then
    push -- "$TARGET_URL" "refs/mirror/source:$REF" || return
    done_ok "$TGT" "$SRC" "fast-forwarded target"
    return
  fi
  if [ "$OLD_KIND" = sha ] && [ "$TGT" = "$OLD" ]; then
    push --force-with-lease="$REF:$OLD" -- "$TARGET_URL" "refs/mirror/source:$REF" || return
    if [ "$REF_IS_TAG" = true ]; then
      done_ok "$TGT" "$SRC" "moved the tag on target (lease on the source's previous $OLD)"
    else
      done_ok "$TGT" "$SRC" "force-updated target (lease on the source's previous $OLD: the source was force-pushed)"
    fi
    return
  fi
  if [ "$REF_IS_TAG" = false ] && is_ancestor "$SRC" "$TGT"; then
    done_ok "$TGT" "$TGT" "target is ahead of source $SRC (it has all of the source's commits); left unchanged"
    return
  fi

  resolve="To make the target equal the source (dropping target $TGT): rerun with referenceShaOld=$TGT. To keep the target's: run the opposite direction with referenceShaOld=$SRC, or merge both into one side."
  if [ "$REF_IS_TAG" = true ]; then
    what="the tag differs: target has $TGT, source has $SRC"
  else
    what="target $TGT and source $SRC have diverged: each has commits the other lacks"
  fi
  case $OLD_KIND in
    sha)
      FAIL_CODE=$EXIT_TARGET_MOVED
      FAIL_MSG="$REF: $what, and the target no longer holds the source's previous $OLD (changed on both sides). $resolve"
      ;;
    absent)
      FAIL_CODE=$EXIT_TARGET_MOVED
      FAIL_MSG="$REF: created on the source at $SRC, but the target already has it at $TGT. $resolve"
      ;;
    *)
      FAIL_CODE=$EXIT_NOT_FAST_FORWARD
      FAIL_MSG="$REF: $what; without referenceShaOld (the source's previous SHA) overwriting could lose commits. $resolve"
      ;;
  esac
  return "$FAIL_CODE"
}

sync_delete() {
  if [ "$SYNC_DELETE" != true ]; then
    done_ok "$TGT" "$TGT" "the source has no $REF (deleted); deletions are not mirrored (syncDelete is not true), skipped"
    return
  fi
  if [ -z "$TGT" ]; then
    done_ok "" "" "deleted on both sides, nothing to do"
    return
  fi
  if [ "$OLD_KIND" != sha ]; then
    FAIL_CODE=$EXIT_DELETE_REFUSED
    FAIL_MSG="$REF: deleted on the source, but the target holds $TGT and the source's previous SHA is unknown, so the target may have commits the source never had. To delete it anyway: rerun with referenceShaOld=$TGT. To keep it: run the opposite direction (recreates it on the source)."
    return "$FAIL_CODE"
  fi
  if [ "$TGT" != "$OLD" ]; then
    FAIL_CODE=$EXIT_DELETE_REFUSED
    FAIL_MSG="$REF: deleted on the source at $OLD, but the target holds $TGT (changed on the target). To delete it anyway: rerun with referenceShaOld=$TGT. To keep it: run the opposite direction (recreates it on the source)."
    return "$FAIL_CODE"
  fi
  push --force-with-lease="$REF:$OLD" -- "$TARGET_URL" ":$REF" || return
  done_ok "$TGT" "" "deleted on target (lease on $OLD)"
}

# --- main -------------------------------------------------------------------------

say "$REF: $SOURCE_URL -> $TARGET_URL (old SHA: $(short "$OLD"), syncDelete: $SYNC_DELETE)"
attempt=1
races=0
delay=$DELAY
while :; do
  sync_once
  status=$?
  if [ "$status" -eq 0 ]; then
    say "$SUMMARY"
    exit "$EXIT_OK"
  fi
  if [ "$status" -eq 75 ]; then
    races=$((races + 1))
    if [ "$races" -lt 5 ]; then
      say "$REF changed while mirroring; looking again"
      continue
    fi
    die "$EXIT_TARGET_MOVED" "$REF kept changing while mirroring (5 tries); run again when pushes have settled"
  fi
  if [ "$status" -eq "$EXIT_UNAVAILABLE" ] && [ "$attempt" -lt "$ATTEMPTS" ]; then
    say "transient failure (attempt $attempt of $ATTEMPTS): $FAIL_MSG; retrying in ${delay}s"
    sleep "$delay"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
    continue
  fi
  [ "$status" -eq "$EXIT_UNAVAILABLE" ] && FAIL_MSG="$FAIL_MSG (gave up after $attempt attempts)"
  die "$status" "$FAIL_MSG"
done
