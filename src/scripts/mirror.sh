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
#                              (ignored in mode reconcile)
#   MIRROR_REFERENCE_SHA_OLD   the ref's previous value on the source (from the webhook);
#                              empty or null = unknown, all zeros = the ref was created
#                              (ignored in mode reconcile)
#   MIRROR_SYNC_DELETE         true: mirror a deletion on the source; else skip it
#   MIRROR_REF_FILTERS         glob patterns on full ref names, separated by spaces or
#                              newlines (* and ? match any characters, / included);
#                              empty = every branch and tag
#   MIRROR_MODE                empty or ref: mirror MIRROR_REFERENCE; reconcile: bring
#                              every matching branch and tag in line (see below)
#   MIRROR_TWO_WAY             true or false: whether the pair is mirrored both ways (a
#                              reconcile then only creates and fast-forwards)
#   MIRROR_MAX_REFS_PER_PUSH   mode reconcile: the most refs one push updates, 1-1000
#                              (default 100)
#   MIRROR_RETRY_ATTEMPTS      optional, attempts for transient failures (default 4)
#   MIRROR_RETRY_DELAY         optional, first backoff in seconds, doubled each time (default 2)
#   MIRROR_DRY_RUN             optional, mode reconcile only: true = compare and report,
#                              change nothing (see below; default false)
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
# A run costs the change, not the history: both sides are listed at once (an echo run
# stops there), then the target's value of the ref (or its default branch, for a ref it
# lacks) is fetched a few commits deep without file contents, and the source is asked
# for its value against those commits, so only what the target lacks crosses the wire,
# whatever the shape of the history (see "the objects a run needs"). A server that
# refuses shallow fetches, will not hand out commits by id, or fails the fetch against
# the base, gets a slower way with the same result, down to the full fetch.

# Mode reconcile (a scheduled run: webhooks get lost) lists both sides once and, for
# every branch and tag matching MIRROR_REF_FILTERS:
#   equal on both sides             -> in sync
#   only on the source              -> create it on the target
#   target branch behind the source -> fast-forward it
#   only on the target              -> delete it when MIRROR_SYNC_DELETE is true and the
#                                      pair is one-way; else keep it
#   target branch ahead             -> two-way: keep it (the other direction carries it
#                                      back); one-way: a conflict
#   branch diverged, or tag differs -> a conflict, never moved
# The objects come in one fetch by name; the updates go in pushes of at most
# MIRROR_MAX_REFS_PER_PUSH refs, each update under --force-with-lease on the value listed
# at the start, so a ref that moves meanwhile is left alone. A push the target refuses for
# its size is sent again in halves. One line per ref moved, kept or in conflict, then a
# summary; a conflict ends the run with exit 34 after everything else was done. Needs awk.
# With MIRROR_DRY_RUN=true it decides the same way but pushes nothing: it fetches only the
# branches whose ancestry decides between behind, ahead and diverged, into the throwaway
# repository, and prints one line per matching ref, "mirror: status: STATE ACTION REF
# SOURCE-SHA TARGET-SHA REASON" (- for a side without the ref), STATE one of in-sync,
# missing, behind, ahead, diverged, extra, ACTION what a reconcile would do (none, create,
# fast-forward, delete, keep, conflict); exit 0 when every ref is in sync, else 35.
#
# Credentials reach git only as an http.<url>.extraHeader set through GIT_CONFIG_COUNT
# environment variables, for the one command that talks to that URL: never in process
# arguments, URLs, files or output. git runs without system or global configuration.

# shellcheck disable=SC2030,SC2031 # the subshells that change WORK, GIT_DIR or GIT_CONFIG_*
# do it on purpose: to give one git command its credential or a second scratch repository.

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
EXIT_RECONCILE_CONFLICTS=34
EXIT_OUT_OF_SYNC=35

LC_ALL=C
export LC_ALL
TAB=$(printf '\t')
NL='
'
ZERO40=0000000000000000000000000000000000000000
ZERO64=0000000000000000000000000000000000000000000000000000000000000000
WORK=
# Mode reconcile: refs per push unless MIRROR_MAX_REFS_PER_PUSH says otherwise, and the most
# it may say (src/model/variables.ts, SCRIPT_LIMITS, holds the same numbers).
DEFAULT_MAX_REFS_PER_PUSH=100
MAX_MAX_REFS_PER_PUSH=1000
# The longest user name sent with a token.
MAX_USERNAME_LENGTH=128
# Bytes of push arguments (ref names twice, a lease, a SHA) after which a batch ends: well
# below the kernel's limit on Linux and macOS.
MAX_PUSH_ARG_BYTES=250000
# Internal return codes between the script's functions, never exit codes (they are in the
# table of src/model/exit-codes.ts as internal):
# a ref changed on a side while the run worked on it: list again and decide again.
LOOK_AGAIN=75
# the target refused a push for its size: send it in smaller batches (mode reconcile).
PUSH_TOO_LARGE=76
# ref mode: what the base made possible failed (a server refusing commits by id, a push
# that finds the target lacks more): fetch the ref's whole history instead.
FULL_FETCH_NEEDED=77
# How often a run looks again at refs that changed meanwhile before it gives up (exit 31).
MAX_LOOKS=5

# How many generations of the target's history the base holds: the commits the source
# fetch offers as common ground (the target's value first; its parents count when the
# source lacks it, such as after a commit made on the target alone).
BASE_DEPTH=3

# The filter of the source fetch against a base. It leaves nothing out (no blob is that
# large), but makes the fetch a partial clone's fetch: git then checks only that the
# fetched tip came in a pack of the partial clone, instead of walking the new commits
# down to commits this repository does not hold (see fetch_source).
ALL_OBJECTS=blob:limit=1024g

# The generations the base is deepened by, one step after the other, when the target will
# not hand out a commit by its id (see deepen_base_to).
DEEPEN_STEPS="64 512"

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
    "$EXIT_RECONCILE_CONFLICTS") printf reconcile-conflicts ;;
    "$EXIT_OUT_OF_SYNC") printf out-of-sync ;;
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
  # shellcheck disable=SC1003 # '\' is a backslash to refuse, not an escaped quote
  case $1 in
    *[[:cntrl:]]*|*' '*|*'~'*|*'^'*|*':'*|*'?'*|*'*'*|*'['*|*'\'*) return 1 ;;
    */.*|*..*|*'@{'*|*//*|*/|*.|*.lock|*.lock/*) return 1 ;;
  esac
  [ "${#1}" -le 1024 ]
}

# valid_username NAME: a user name to send with a token, as the constructs accept it.
valid_username() {
  case $1 in
    ''|*[!A-Za-z0-9._@+-]*) return 1 ;;
  esac
  [ "${#1}" -le "$MAX_USERNAME_LENGTH" ]
}

# Prints the normalized SHA (lowercase) or nothing; fails on anything but hex of 40 or 64.
normalized_sha() {
  case $1 in
    *[!0-9a-fA-F]*) return 1 ;;
  esac
  [ "${#1}" -eq 40 ] || [ "${#1}" -eq 64 ] || return 1
  case $1 in
    *[A-F]*) printf '%s' "$1" | tr 'A-F' 'a-f' ;;
    *) printf '%s' "$1" ;;
  esac
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

# boolean_input VALUE WHAT: sets BOOLEAN to VALUE, or to false when it is unset; stops with
# exit 10, naming WHAT, unless it is true or false.
boolean_input() {
  BOOLEAN=$1
  unset_value "$BOOLEAN" && BOOLEAN=false
  case $BOOLEAN in
    true|false) ;;
    *) invalid "$2 must be true or false, got $(shown "$BOOLEAN")" ;;
  esac
}

# read_inputs: reads every input from the environment into the script's variables, with
# defaults, and stops with exit 10 (11, 12) at the first one that is not valid. No git
# command runs before it has passed.
read_inputs() {
  MODE=${MIRROR_MODE-}
  unset_value "$MODE" && MODE=ref
  case $MODE in
    ref|reconcile) ;;
    *) die "$EXIT_UNSUPPORTED_MODE" "mode $(shown "$MODE") is not supported; use 'ref' (one ref) or 'reconcile' (every matching branch and tag)" ;;
  esac

  boolean_input "${MIRROR_DRY_RUN-}" MIRROR_DRY_RUN
  DRY_RUN=$BOOLEAN
  if [ "$DRY_RUN" = true ] && [ "$MODE" != reconcile ]; then
    invalid "MIRROR_DRY_RUN applies to mode reconcile only (it compares every matching branch and tag); mode is $(shown "$MODE")"
  fi

  boolean_input "${MIRROR_TWO_WAY-}" "twoWay (MIRROR_TWO_WAY)"
  TWO_WAY=$BOOLEAN
  boolean_input "${MIRROR_SYNC_DELETE-}" "syncDelete (MIRROR_SYNC_DELETE)"
  SYNC_DELETE=$BOOLEAN

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
    valid_username "$user_value" ||
      invalid "$user_var must be 1 to $MAX_USERNAME_LENGTH letters, digits or . _ @ + -, got $(shown "$user_value")"
  done

  unset_value "${MIRROR_SOURCE_TOKEN-}" && invalid "sourceToken (MIRROR_SOURCE_TOKEN) is empty: the secret did not resolve"
  unset_value "${MIRROR_TARGET_TOKEN-}" && invalid "targetToken (MIRROR_TARGET_TOKEN) is empty: the secret did not resolve"

  REF=${MIRROR_REFERENCE-}
  # A reconcile run ignores reference (its trigger passes refs/*): REF only labels messages.
  [ "$MODE" = reconcile ] && REF=reconcile
  unset_value "$REF" && invalid "reference is required (a full ref name such as refs/heads/main)"
  [ "$MODE" = reconcile ] || valid_ref "$REF" || invalid "reference must be a valid full ref name under refs/heads/ or refs/tags/, got $(shown "$REF")"
  case $REF in
    refs/tags/*) REF_IS_TAG=true ;;
    *) REF_IS_TAG=false ;;
  esac
  # Lists only branches or only tags: a server then leaves out the rest (pull request refs
  # can outnumber branches and tags many times over).
  if [ "$REF_IS_TAG" = true ]; then LS_KIND=--tags; else LS_KIND=--heads; fi

  # OLD_KIND: unknown (no old SHA), absent (all zeros: the ref was created) or sha.
  OLD=${MIRROR_REFERENCE_SHA_OLD-}
  if [ "$MODE" = reconcile ] || unset_value "$OLD"; then
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
      # shellcheck disable=SC2254 # the ref filter is a glob pattern by design
      case $REF in
        $pattern) selected=true ;;
      esac
    done
    [ "$selected" = true ] || [ "$MODE" = reconcile ] || die "$EXIT_REF_FILTERED" "$REF matches none of refFilters ($(shown "$FILTERS")); nothing was mirrored"
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
  MAX_REFS=${MIRROR_MAX_REFS_PER_PUSH-}
  unset_value "$MAX_REFS" && MAX_REFS=$DEFAULT_MAX_REFS_PER_PUSH
  case $MAX_REFS in
    [1-9]|[1-9][0-9]|[1-9][0-9][0-9]|[1-9][0-9][0-9][0-9]) ;;
    *) MAX_REFS=0 ;;
  esac
  if [ "$MAX_REFS" -lt 1 ] || [ "$MAX_REFS" -gt "$MAX_MAX_REFS_PER_PUSH" ]; then
    invalid "maxRefsPerPush (MIRROR_MAX_REFS_PER_PUSH) must be a number from 1 to $MAX_MAX_REFS_PER_PUSH, got $(shown "${MIRROR_MAX_REFS_PER_PUSH-}")"
  fi
}

# --- tools and environment --------------------------------------------------------

# check_tools: stops with exit 13 when a program the run needs is missing or git is too old.
check_tools() {
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
  [ "$MODE" = reconcile ] || git check-ref-format "$REF" || invalid "reference $(shown "$REF") is not a valid ref name (git check-ref-format)"
}

# git_environment: no configuration but ours, no prompts, https only, no tracing that could
# print headers.
git_environment() {
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
}

# basic_auth USER TOKEN: sets AUTH to the Basic credential, base64's wrapped lines joined.
# The credential goes through a pipe, never argv: printf is a shell builtin.
basic_auth() {
  AUTH=$(printf '%s:%s' "$1" "$2" | base64) || AUTH=
  auth_joined=
  while :; do
    case $AUTH in
      *"$NL"*) auth_joined=$auth_joined${AUTH%%"$NL"*}; AUTH=${AUTH#*"$NL"} ;;
      *) AUTH=$auth_joined$AUTH; break ;;
    esac
  done
}
# load_credentials: the Basic credentials of both sides, out of the environment from then on.
load_credentials() {
  basic_auth "$SOURCE_USER" "$MIRROR_SOURCE_TOKEN"
  SOURCE_AUTH="Authorization: Basic $AUTH"
  basic_auth "$TARGET_USER" "$MIRROR_TARGET_TOKEN"
  TARGET_AUTH="Authorization: Basic $AUTH"
  AUTH=
  case $SOURCE_AUTH$NL$TARGET_AUTH in
    *"Basic $NL"*|*"Basic ") die "$EXIT_MISSING_TOOL" "base64 produced no output" ;;
  esac
  unset MIRROR_SOURCE_TOKEN MIRROR_TARGET_TOKEN
}

# make_work_dir: the run's temporary directory, removed on exit, and where its scratch
# repository will be.
make_work_dir() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/mirror.XXXXXXXX") || die "$EXIT_INTERNAL" "cannot create a temporary directory"
  trap 'rm -rf "$WORK"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # The scratch repository is made once a run needs it (an echo run does not): ls-remote
  # needs no repository, and runs with GIT_DIR on NO_REPO, a path never created (see remote).
  GIT_DIR=$WORK/repo.git
  NO_REPO=$WORK/no-repo
  export GIT_DIR
  # The base's tip (see fetch_base), whether commits below it were fetched by id into
  # refs/mirror/edge/, and whether the push first finds out what the target has (see
  # fetch_edges).
  BASE=
  EDGES_HERE=false
  PUSH_NEGOTIATE=false
}

# repo_ready: makes the scratch repository, unless it is there.
repo_ready() {
  [ ! -d "$GIT_DIR" ] || return 0
  git init --quiet --bare --initial-branch=mirror "$GIT_DIR" >"$WORK/err" 2>&1 ||
    { FAIL_MSG="git init failed in $WORK"; return "$EXIT_INTERNAL"; }
}

# --- talking to the remotes ---------------------------------------------------------

# remote SIDE GIT-ARGS...: runs git with SIDE's credential (source or target), stdout to
# $WORK/out, stderr to $WORK/err. The header is scoped to SIDE's URL, and exists only in
# this command's environment. The scratch repository is thrown away: no maintenance.
# The remote named base is SIDE's URL too: git fetches an object a partial base lacks (see
# fetch_base) from the side the command talks to, with that side's credential. Every
# fetched pack is indexed (fetch.unpackLimit 1) rather than unpacked: index-pack asks for
# all the delta bases a partial base lacks in one fetch, unpack-objects for one at a time.
# A push negotiates with the target first when PUSH_NEGOTIATE is true (see fetch_edges).
# ls-remote runs outside any repository.
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
    GIT_CONFIG_COUNT=6
    GIT_CONFIG_KEY_0="http.$remote_url.extraHeader"
    GIT_CONFIG_VALUE_0=$remote_auth
    GIT_CONFIG_KEY_1=credential.helper
    GIT_CONFIG_VALUE_1=
    GIT_CONFIG_KEY_2=maintenance.auto
    GIT_CONFIG_VALUE_2=false
    GIT_CONFIG_KEY_3=remote.base.url
    GIT_CONFIG_VALUE_3=$remote_url
    GIT_CONFIG_KEY_4=fetch.unpackLimit
    GIT_CONFIG_VALUE_4=1
    GIT_CONFIG_KEY_5=push.negotiate
    GIT_CONFIG_VALUE_5=$PUSH_NEGOTIATE
    export GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0 GIT_CONFIG_KEY_1 GIT_CONFIG_VALUE_1 \
      GIT_CONFIG_KEY_2 GIT_CONFIG_VALUE_2 GIT_CONFIG_KEY_3 GIT_CONFIG_VALUE_3 GIT_CONFIG_KEY_4 GIT_CONFIG_VALUE_4 \
      GIT_CONFIG_KEY_5 GIT_CONFIG_VALUE_5
    [ "$1" != ls-remote ] || GIT_DIR=$NO_REPO
    exec git "$@"
  ) >"$WORK/out" 2>"$WORK/err"
}

# remote_fetch SIDE FETCH-ARGS...: git fetch from SIDE (see remote), quietly, without tags,
# FETCH_HEAD or submodules.
remote_fetch() {
  fetch_side=$1
  shift
  remote "$fetch_side" fetch --quiet --no-tags --no-write-fetch-head --no-recurse-submodules "$@"
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


# ref_value SIDE: sets VALUE to the ref's value on SIDE (empty when absent). For a tag on
# the source, also asks for the commit it tags (PEELED, empty for a lightweight tag).
ref_value() {
  if [ "$1" = source ]; then ls_url=$SOURCE_URL; else ls_url=$TARGET_URL; fi
  if [ "$1" = source ] && [ "$REF_IS_TAG" = true ]; then
    remote "$1" ls-remote "$LS_KIND" -- "$ls_url" "$REF" "$REF^{}"
  else
    remote "$1" ls-remote "$LS_KIND" -- "$ls_url" "$REF"
  fi || { remote_failed "$1" "ls-remote failed"; return; }
  listed_value
}

# listed_value: sets VALUE to the ref's value in the ls-remote output in $WORK/out, and
# PEELED to the value of its peeled line (REF^{}) if there is one.
listed_value() {
  VALUE=
  PEELED=
  while IFS= read -r ls_line || [ -n "$ls_line" ]; do
    case $ls_line in
      *"$TAB$REF") VALUE=${ls_line%%"$TAB"*} ;;
      *"$TAB$REF^{}") PEELED=${ls_line%%"$TAB"*} ;;
    esac
  done <"$WORK/out"
  return 0
}

# ref_values: sets SRC and TGT to the ref's values on the source and on the target (and
# SRC_PEELED to the commit a tag on the source tags), asking both at once: the target's
# ls-remote runs in the background, with its output files in $WORK/t. A failure on the
# source is reported first, as if asked one after the other.
ref_values() {
  (
    mkdir -p "$WORK/t" || exit "$EXIT_INTERNAL"
    WORK=$WORK/t
    remote target ls-remote "$LS_KIND" -- "$TARGET_URL" "$REF"
  ) &
  values_pid=$!
  ref_value source
  values_source=$?
  wait "$values_pid"
  values_target=$?
  [ "$values_source" -eq 0 ] || return "$values_source"
  SRC=$VALUE
  SRC_PEELED=$PEELED
  [ -d "$WORK/t" ] || { FAIL_MSG="$REF: cannot create a folder in $WORK"; return "$EXIT_INTERNAL"; }
  values_work=$WORK
  WORK=$WORK/t
  if [ "$values_target" -eq 0 ]; then
    listed_value
  else
    remote_failed target "ls-remote failed"
  fi
  values_target=$?
  WORK=$values_work
  TGT=$VALUE
  return "$values_target"
}

# fetch SIDE LOCALREF: fetches the ref by name from SIDE into LOCALREF and sets FETCHED.
fetch() {
  if [ "$1" = source ]; then fetch_url=$SOURCE_URL; else fetch_url=$TARGET_URL; fi
  if ! remote_fetch "$1" -- "$fetch_url" "+$REF:$2"; then
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

# by_id_refused: whether the last fetch failed because the server would not hand out an
# object asked for by its id: it no longer has it, it does not hand out objects no ref
# points at (protocol v0 without uploadpack.allowReachableSHA1InWant), or the id is not
# one git reads as an id here (a SHA-256 id in this SHA-1 repository).
by_id_refused() {
  read_err
  case $ERR_TEXT in
    *"not our ref"*|*"unadvertised object"*|*"couldn't find remote ref"*) return 0 ;;
  esac
  return 1
}

# --- the objects a run needs ----------------------------------------------------------
# The source is asked for exactly what the target lacks, whatever the shape of the
# history. The base, a few of the target's newest commits without file contents, is what
# the source fetch says it has. Its shallow boundary stays out of that fetch (see
# base_hide): the source then walks its own, complete history below the base's commits
# and sends the new commits, trees and blobs only, even for the merge of a topic forked
# thousands of commits back. The commits the new ones stand on below the base (the topic's
# fork point, an old commit a tag or a rewritten branch starts from) are fetched from the
# target by id, one commit and its trees each, and the push negotiates with the target,
# so that it too sends only what the target lacks. A server that will not do some of it
# gets a slower way that gives the same result, down to a plain fetch of the whole
# history.




# fresh_repo: replaces the scratch repository with an empty one.
fresh_repo() {
  if ! { rm -rf "$GIT_DIR" && git init --quiet --bare --initial-branch=mirror "$GIT_DIR" >"$WORK/err" 2>&1; }; then
    FAIL_MSG="$REF: git init failed in $WORK"
    return "$EXIT_INTERNAL"
  fi
}

# objects_list FILE: lists every object of the scratch repository in FILE as "ID TYPE".
objects_list() {
  git cat-file --batch-all-objects --batch-check='%(objectname) %(objecttype)' >"$1" 2>"$WORK/err" ||
    { FAIL_MSG="$REF: git cat-file failed in the scratch repository"; return "$EXIT_INTERNAL"; }
}

# list_base: lists the base's commits in $WORK/base.commits.
list_base() {
  git rev-list refs/mirror/base >"$WORK/base.commits" 2>"$WORK/err" ||
    { FAIL_MSG="$REF: git rev-list failed in the scratch repository"; return "$EXIT_INTERNAL"; }
}

# in_base SHA: whether the base holds the commit.
in_base() {
  while IFS= read -r base_commit; do
    [ "$base_commit" != "$1" ] || return 0
  done <"$WORK/base.commits"
  return 1
}

# base_fetch WANT [REFSPEC...]: fetches WANT (an id or a name) from the target into
# refs/mirror/base, and any more REFSPECs, BASE_DEPTH generations deep, without blobs.
base_fetch() {
  base_want=$1
  shift
  remote_fetch target --depth="$BASE_DEPTH" --filter=blob:none base "+$base_want:refs/mirror/base" "$@"
}

# fetch_base: fetches the base from the target into refs/mirror/base: its value of the ref
# (TGT, by id; by name from a server that will not hand it out by id) or, when it lacks
# the ref, its default branch, BASE_DEPTH generations deep and without file contents (a
# partial clone: an object it lacks is fetched on demand through the remote base, see
# remote). Sets BASE to its tip and lists its commits in $WORK/base.commits. Every base
# commit is the target's value or behind it, so "is TGT an ancestor of SRC" keeps an exact
# answer. For an annotated tag, the commit it tags is asked for along with it: TAGGED is
# here, absent (the target does not have it), refused (not by id) or unknown. BASE stays
# empty, in a plain repository, when the target has nothing to offer (an empty repository)
# or refuses shallow fetches, or awk is missing: the source fetch then brings the whole
# history. Returns LOOK_AGAIN when the ref moved on the target.
fetch_base() {
  BASE=
  EDGES_HERE=false
  PUSH_NEGOTIATE=false
  # An empty repository: an earlier attempt's may hold another value of the ref.
  fresh_repo || return
  if ! command -v awk >/dev/null 2>&1; then
    say "$REF: awk is not installed; fetching the whole history"
    return 0
  fi
  if [ -n "$TGT" ]; then base_want=$TGT; else base_want=HEAD; fi
  # An annotated tag's commit (see fetch_tagged) comes along when the target has it.
  TAGGED=unknown
  base_status=1
  if [ -n "$SRC_PEELED" ]; then
    base_fetch "$base_want" "+$SRC_PEELED:refs/mirror/edge/$SRC_PEELED"
    base_status=$?
    if [ "$base_status" -eq 0 ]; then
      TAGGED=here
      EDGES_HERE=true
    else
      read_err
      case $ERR_TEXT in
        *"not our ref $SRC_PEELED"*) TAGGED=absent ;;
        *"unadvertised object $SRC_PEELED"*) TAGGED=refused ;;
      esac
    fi
  fi
  if [ "$base_status" -ne 0 ]; then
    base_fetch "$base_want"
    base_status=$?
    if [ "$base_status" -ne 0 ] && [ -n "$TGT" ] && by_id_refused; then
      base_fetch "$REF"
      base_status=$?
    fi
  fi
  if [ "$base_status" -eq 0 ]; then
    BASE=$(git rev-parse --verify --quiet refs/mirror/base) || BASE=
    if [ -n "$TGT" ] && [ "$BASE" != "$TGT" ]; then return "$LOOK_AGAIN"; fi
    [ -n "$BASE" ] || { FAIL_MSG="$REF: the base fetch left no refs/mirror/base"; return "$EXIT_INTERNAL"; }
    list_base
    return
  fi
  classify
  # Refused (no shallow support) or nothing to fetch: go without a base. A failure with
  # a class of its own (auth, not found, TLS, unavailable) is reported as it is.
  [ "$FAIL_CODE" = "$EXIT_GIT_FAILED" ] || { remote_failed target "fetch failed"; return; }
  case $ERR_TEXT in
    *"couldn't find remote ref"*) [ -z "$TGT" ] || return "$LOOK_AGAIN" ;;
    *)
      say "$REF: no base from the target to negotiate with; fetching the whole history"
      show_err
      ;;
  esac
  fresh_repo
}

# base_hide: keeps the base's shallow boundary from the source fetch. A shallow client
# tells the server where its history is cut, and the server then cuts its own history
# there too: it no longer sees what lies below the base's commits, and a new commit that
# stands on an older one (a topic's fork point) would bring all of that older commit's
# history. So the shallow file is set aside, and each commit on the boundary is replaced,
# in this repository only, by a copy without parents (refs/replace), which keeps git from
# looking for the parents it lacks. base_show undoes it.
base_hide() {
  [ -f "$GIT_DIR/shallow" ] || return 0
  mv "$GIT_DIR/shallow" "$GIT_DIR/shallow.base" || return
  while IFS= read -r cut; do
    cut_copy=$(git cat-file commit "$cut" | awk 'body == 0 && /^parent / { next } /^$/ { body = 1 } { print }' |
      git hash-object -t commit -w --stdin) || return
    # (A root commit is its own copy.)
    [ "$cut_copy" = "$cut" ] || printf 'update refs/replace/%s %s\n' "$cut" "$cut_copy"
  done <"$GIT_DIR/shallow.base" >"$WORK/replace" || return
  git update-ref --stdin <"$WORK/replace"
}

# base_show: undoes base_hide.
base_show() {
  git for-each-ref --format='delete %(refname)' refs/replace/ >"$WORK/replace" &&
    git update-ref --stdin <"$WORK/replace" &&
    { [ ! -f "$GIT_DIR/shallow.base" ] || mv "$GIT_DIR/shallow.base" "$GIT_DIR/shallow"; }
}

# source_fetch WANT: fetches WANT (an id or a name) from the source into
# refs/mirror/source, offering the base's commits as common ground, and the commits below
# it fetched so far (refs/mirror/edge/): a source value that descends from one of them is
# then sent at once, without a second round.
source_fetch() {
  if [ "$EDGES_HERE" = true ]; then
    remote_fetch source --negotiation-tip=refs/mirror/base --negotiation-tip='refs/mirror/edge/*' \
      --filter="$ALL_OBJECTS" base "+$1:refs/mirror/source"
  else
    remote_fetch source --negotiation-tip=refs/mirror/base --filter="$ALL_OBJECTS" base "+$1:refs/mirror/source"
  fi
}

# against_base: the source fetch against the base: hides the base's boundary (see
# base_hide), fetches SRC by id (by name from a server that will not hand it out so) into
# refs/mirror/source, shows the boundary again. Sets AGAINST_STATUS to the fetch's status
# (its error output in $WORK/err); fails only when the boundary cannot be handled.
against_base() {
  base_hide || { base_show; FAIL_MSG="$REF: cannot set the base's boundary aside in the scratch repository"; return "$EXIT_INTERNAL"; }
  objects_list "$WORK/before" || { base_show; return "$EXIT_INTERNAL"; }
  source_fetch "$SRC"
  AGAINST_STATUS=$?
  if [ "$AGAINST_STATUS" -ne 0 ] && by_id_refused; then
    source_fetch "$REF"
    AGAINST_STATUS=$?
  fi
  base_show || { FAIL_MSG="$REF: cannot restore the base's boundary in the scratch repository"; return "$EXIT_INTERNAL"; }
}

# fetch_source: fetches the source's value of the ref into refs/mirror/source and sets
# FETCHED (empty when the source no longer has the ref). Without a base, by name, the
# whole history. Against a base (see against_base), exactly the new commits and what they
# add cross the wire; then find_edges. The fetch fails when the source's deltas stand on
# trees and blobs of commits below the base that the fetch then asks for on demand, all
# at once (a git server leaves out a blob asked for together with a tree that holds it):
# the commits below the base are then learned first (see peek_edges) and fetched, and the
# fetch made once more. A fetch that still fails (a server may refuse to hand out an object
# the base lacks) is made into a fresh repository, without a base.
fetch_source() {
  : >"$WORK/new.commits"
  : >"$WORK/new.parents"
  : >"$WORK/edges"
  [ -n "$BASE" ] || { fetch source refs/mirror/source; return; }
  if in_base "$SRC"; then
    # Behind the base's tip: nothing to fetch.
    git update-ref refs/mirror/source "$SRC" || { FAIL_MSG="$REF: git update-ref failed in the scratch repository"; return "$EXIT_INTERNAL"; }
    FETCHED=$SRC
    return 0
  fi
  fetch_tagged
  tagged_status=$?
  [ "$tagged_status" -ne "$FULL_FETCH_NEEDED" ] || { full_fetch "the target will not hand out the commit the tag is on"; return; }
  [ "$tagged_status" -eq 0 ] || return "$tagged_status"
  against_base || return
  if [ "$AGAINST_STATUS" -ne 0 ]; then
    read_err
    case $ERR_TEXT in
      *"couldn't find remote ref"*) FETCHED= ; return 0 ;;
    esac
    if peek_edges; then
      fetch_edges
      edges_status=$?
      [ "$edges_status" -ne "$FULL_FETCH_NEEDED" ] || { full_fetch "the target will not hand out the commits the source's new ones stand on"; return; }
      [ "$edges_status" -eq 0 ] || return "$edges_status"
      against_base || return
    fi
  fi
  if [ "$AGAINST_STATUS" -eq 0 ]; then
    FETCHED=$(git rev-parse --verify --quiet refs/mirror/source) || FETCHED=
    find_edges
    return
  fi
  read_err
  case $ERR_TEXT in
    *"couldn't find remote ref"*) FETCHED= ; return 0 ;;
  esac
  show_err
  full_fetch "the fetch against the target's commits failed"
}

# peek_edges: lists in $WORK/edges, before the source fetch, the commits below the base
# that the source's new commits stand on: fetches the source's value, commits only
# (--filter=tree:0), into a second repository ($WORK/p) that reads this one's objects,
# offering the base's commits the way against_base does. Fails when it cannot tell.
peek_edges() {
  peek=$WORK/p/repo.git
  peek_objects=$GIT_DIR/objects
  mkdir -p "$WORK/p" || return
  { [ ! -e "$peek" ] || rm -rf "$peek"; } &&
    git init --quiet --bare "$peek" >"$WORK/err" 2>&1 &&
    { [ ! -f "$GIT_DIR/shallow" ] || cp "$GIT_DIR/shallow" "$peek/shallow"; } || return
  (
    WORK=$WORK/p
    GIT_DIR=$peek
    printf '%s\n' "$peek_objects" >"$GIT_DIR/objects/info/alternates" &&
      git update-ref refs/mirror/base "$BASE" &&
      base_hide &&
      remote_fetch source --negotiation-tip=refs/mirror/base --filter=tree:0 base "+$SRC:refs/peek" &&
      # Its own objects only: the commits it fetched (and the base's stand-ins).
      rm -f "$GIT_DIR/objects/info/alternates" &&
      objects_list "$WORK/peeked" &&
      awk '$2 == "commit" { print $1 }' "$WORK/peeked" >"$WORK/peeked.commits" &&
      git rev-list --no-walk=unsorted --parents --stdin <"$WORK/peeked.commits" >"$WORK/peeked.parents"
  ) || return
  objects_list "$WORK/here" || return
  awk -v parents="$WORK/p/peeked.parents" 'FILENAME != parents { have[$1] = 1; next }
    { for (i = 2; i <= NF; i++) if (!($i in have) && !($i in out)) { out[$i] = 1; print $i } }' \
    "$WORK/here" "$WORK/p/peeked" "$WORK/p/peeked.parents" >"$WORK/edges"
}

# by_id_fetch REFSPEC...: fetches commits below the base from the target by id, each one
# commit deep, with its trees (the push needs them, see fetch_edges). On the command
# line, so that git skips listing the target's refs; offering nothing in common, so that
# the target answers in one request (a commit below the base is no descendant of the
# base, and the server would wait for one more round before sending).
by_id_fetch() {
  remote target -c fetch.negotiationAlgorithm=noop fetch --quiet --no-tags --no-write-fetch-head \
    --no-recurse-submodules --depth=1 --filter=blob:none base "$@"
}

# fetch_tagged: for an annotated tag, makes sure the commit it tags (SRC_PEELED) is here
# before the source fetch, which looks at it (a commit it lacked would be fetched on
# demand, with its whole history). A commit of the base is; else the target's, fetched by
# id like an edge (see fetch_edges), along with the base (TAGGED says how that went);
# else, when the target does not have it, the source fetch brings it. A target that will
# not hand it out by id gets the base deepened until it holds the commit;
# FULL_FETCH_NEEDED when that fails too.
fetch_tagged() {
  [ -n "$SRC_PEELED" ] || return 0
  in_base "$SRC_PEELED" && return 0
  case $TAGGED in
    here) PUSH_NEGOTIATE=true; return 0 ;;
    absent) return 0 ;;
    unknown)
      if by_id_fetch "+$SRC_PEELED:refs/mirror/edge/$SRC_PEELED"; then
        EDGES_HERE=true
        PUSH_NEGOTIATE=true
        return 0
      fi
      read_err
      case $ERR_TEXT in
        *"not our ref"*) return 0 ;;
        *"unadvertised object"*) ;;
        *) remote_failed target "fetch failed"; return ;;
      esac
      ;;
  esac
  printf '%s\n' "$SRC_PEELED" >"$WORK/tagged"
  deepen_base_to "$WORK/tagged"
}

# full_fetch WHY: drops the base and fetches the source's whole history into a fresh
# repository.
full_fetch() {
  say "$REF: $1; fetching the whole history"
  BASE=
  EDGES_HERE=false
  PUSH_NEGOTIATE=false
  : >"$WORK/new.commits"
  : >"$WORK/edges"
  fresh_repo || return
  fetch source refs/mirror/source
}

# find_edges: lists the commits the source fetch brought in $WORK/new.commits, and in
# $WORK/edges the commits they (or a new tag) stand on that this repository lacks. The
# source sent everything but what lies behind a base commit it has, so every edge is behind
# one: it is in the target's history, below the base.
find_edges() {
  objects_list "$WORK/after" || return
  awk 'NR == FNR { seen[$1] = 1; next } !($1 in seen) && $2 == "commit" { print $1 }' \
    "$WORK/before" "$WORK/after" >"$WORK/new.commits" ||
    { FAIL_MSG="$REF: awk failed listing the fetched commits"; return "$EXIT_INTERNAL"; }
  : >"$WORK/new.parents"
  if [ -s "$WORK/new.commits" ]; then
    git rev-list --no-walk=unsorted --parents --stdin <"$WORK/new.commits" >"$WORK/new.parents" 2>"$WORK/err" ||
      { FAIL_MSG="$REF: git rev-list failed listing the fetched commits' parents"; return "$EXIT_INTERNAL"; }
  fi
  # A new tag (or a tag of a tag) on a commit the source did not send: that commit.
  edge_object=$FETCHED
  while [ -n "$edge_object" ] &&
    [ "$(awk -v o="$edge_object" '$1 == o { print $2; exit }' "$WORK/after")" = tag ]; do
    edge_object=$(git cat-file tag "$edge_object" | awk '/^object / { o = $2 } /^type / { t = $2 } /^$/ { exit } END { if (t == "commit" || t == "tag") print o }')
    [ -z "$edge_object" ] || printf 'tag %s\n' "$edge_object" >>"$WORK/new.parents"
  done
  awk 'NR == FNR { have[$1] = 1; next }
    { for (i = 2; i <= NF; i++) if (!($i in have) && !($i in out)) { out[$i] = 1; print $i } }' \
    "$WORK/after" "$WORK/new.parents" >"$WORK/edges" ||
    { FAIL_MSG="$REF: awk failed listing the commits the fetched ones stand on"; return "$EXIT_INTERNAL"; }
  shallow_trim
}

# shallow_trim: drops from the shallow file each commit whose parents the source fetch
# brought: the commit a tag is on, fetched from the target (see fetch_tagged) where no ref
# reaches it. Left on the list, a push would tell the target its history stops there, and
# the target refuses a ref whose history stops at a commit none of its refs reach.
shallow_trim() {
  [ -s "$GIT_DIR/shallow" ] || return 0
  : >"$WORK/shallow.kept"
  while IFS= read -r cut; do
    git cat-file commit "$cut" >"$WORK/cut" 2>/dev/null || { printf '%s\n' "$cut" >>"$WORK/shallow.kept"; continue; }
    awk 'NR == FNR { have[$1] = 1; next } /^$/ { exit } /^parent / && !($2 in have) { missing = 1 } END { exit !missing }' \
      "$WORK/after" "$WORK/cut" && printf '%s\n' "$cut" >>"$WORK/shallow.kept"
  done <"$GIT_DIR/shallow"
  if [ -s "$WORK/shallow.kept" ]; then
    mv "$WORK/shallow.kept" "$GIT_DIR/shallow"
  else
    rm -f "$GIT_DIR/shallow"
  fi
}

# fetch_edges: makes the push send only what the target lacks when the new commits stand
# on commits below the base (see find_edges): fetches those commits from the target by id,
# each one commit deep and without blobs (into refs/mirror/edge/), and has the push
# negotiate with the target first, which finds them common. A target that will not hand
# them out by id gets the base deepened until it holds them (see deepen_base_to); when
# that fails too, returns FULL_FETCH_NEEDED: the run goes on without a base.
fetch_edges() {
  [ -s "$WORK/edges" ] || return 0
  set --
  while IFS= read -r edge; do
    set -- "$@" "+$edge:refs/mirror/edge/$edge"
  done <"$WORK/edges"
  if by_id_fetch "$@"; then
    EDGES_HERE=true
    PUSH_NEGOTIATE=true
    return 0
  fi
  by_id_refused || { remote_failed target "fetch failed"; return; }
  deepen_base_to "$WORK/edges"
}

# deepen_base_to FILE: deepens the base by each of DEEPEN_STEPS in turn until it holds
# every commit listed in FILE. Returns FULL_FETCH_NEEDED when it does not after the last step, or when
# the target moved.
deepen_base_to() {
  for deepen_step in $DEEPEN_STEPS; do
    if ! remote_fetch target --deepen="$deepen_step" --filter=blob:none --negotiation-tip=refs/mirror/base base "+$BASE:refs/mirror/base"; then
      by_id_refused && return "$FULL_FETCH_NEEDED"
      remote_failed target "fetch failed"
      return
    fi
    list_base || return
    awk 'NR == FNR { have[$1] = 1; next } !($1 in have) { missing = 1 } END { exit missing }' \
      "$WORK/base.commits" "$1" && return 0
  done
  return "$FULL_FETCH_NEEDED"
}

# target_has_source: asks the target for SRC by id, the commit alone, in a second scratch
# repository ($WORK/p). Sets HAS_SOURCE to yes, no, or unknown when the target cannot tell
# (it does not hand out commits by id).
target_has_source() {
  HAS_SOURCE=unknown
  mkdir -p "$WORK/p" || return 0
  if (
    WORK=$WORK/p
    GIT_DIR=$WORK/repo.git
    { [ ! -e "$GIT_DIR" ] || rm -rf "$GIT_DIR"; } &&
      git init --quiet --bare "$GIT_DIR" >"$WORK/err" 2>&1 &&
      remote_fetch target --depth=1 --filter=tree:0 base "+$SRC:refs/probe"
  ); then
    HAS_SOURCE=yes
    return 0
  fi
  case $(cat "$WORK/p/err" 2>/dev/null) in
    *"not our ref"*) HAS_SOURCE=no ;;
  esac
  return 0
}

# unshallow_base: fetches the rest of the target's history of the base (commits only), so
# that "is SRC an ancestor of TGT" gets an exact answer.
unshallow_base() {
  [ -f "$GIT_DIR/shallow" ] || return 0
  if ! remote_fetch target --unshallow --filter=tree:0 --negotiation-tip=refs/mirror/base base "+$BASE:refs/mirror/base"; then
    by_id_refused && return "$LOOK_AGAIN"
    remote_failed target "fetch failed"
    return
  fi
  return 0
}

# source_behind_target: for a run against a base that is neither a fast-forward nor an
# overwrite under a lease, sets BEHIND to whether SRC is an ancestor of TGT. A base
# commit is; a commit the target does not have is not; otherwise the rest of the target's
# history is fetched to see.
source_behind_target() {
  BEHIND=true
  in_base "$SRC" && return 0
  target_has_source
  if [ "$HAS_SOURCE" != no ]; then
    unshallow_base || return
    is_ancestor "$SRC" "$TGT" && return 0
  fi
  BEHIND=false
  return 0
}

# push GIT-PUSH-ARGS...: pushes to the target. Returns 0 when done, LOOK_AGAIN when the target
# changed under us (try again), FULL_FETCH_NEEDED (with FULL_WHY) when a push from a base cannot be made
# from it, or a failure code with FAIL_MSG set.
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
  read_err
  if [ -n "$BASE" ]; then
    case $PUSH_FLAG in
      ' '|'+'|'*'|'-'|'=') ;;
      *)
        # Sending needed an object the base lacks: a commit the target has, which the
        # target did not find common when asked (or did not let the push ask about).
        case $ERR_TEXT in
          *"unable to read"*|*"pack-objects died"*)
            FULL_WHY="the push needed objects the base lacks"
            return "$FULL_FETCH_NEEDED"
            ;;
        esac
        # The target's refs no longer reach where the base's history stops (they moved
        # since the listing), or never reached a commit it handed out by id.
        case $PUSH_SUMMARY in
          *"(shallow update not allowed)"*)
            FULL_WHY="the target would not take the push from a shallow history"
            return "$FULL_FETCH_NEEDED"
            ;;
        esac
        ;;
    esac
  fi
  case $PUSH_FLAG in
    ' '|'+'|'*'|'-'|'=') return 0 ;;
    '!')
      case $PUSH_SUMMARY in
        *"(stale info)"*|*"(fetch first)"*|*"(non-fast-forward)"*|*"(already exists)"*) return "$LOOK_AGAIN" ;;
      esac
      case $ERR_TEXT in
        *"but expected"*|*"reference already exists"*|*"reference is missing"*|*"unable to resolve reference"*) return "$LOOK_AGAIN" ;;
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

done_ok() {
  SUMMARY="ok: $REF: target ${1:-(none)} -> ${2:-(none)}: $3"
  return 0
}

is_ancestor() {
  git merge-base --is-ancestor "$1" "$2" 2>/dev/null
}

# --- one attempt ----------------------------------------------------------------------

# push_create, push_fast_forward, push_overwrite: the three ways of moving the ref, each
# setting SUMMARY.
push_create() {
  if [ "$OLD_KIND" = sha ] && [ "$REF_IS_TAG" = false ]; then
    say "$REF is missing on the target; creating it"
  fi
  push --force-with-lease="$REF:" -- "$TARGET_URL" "refs/mirror/source:$REF" || return
  done_ok "" "$SRC" "created on target"
}

push_fast_forward() {
  push -- "$TARGET_URL" "refs/mirror/source:$REF" || return
  done_ok "$TGT" "$SRC" "fast-forwarded target"
}

push_overwrite() {
  push --force-with-lease="$REF:$OLD" -- "$TARGET_URL" "refs/mirror/source:$REF" || return
  if [ "$REF_IS_TAG" = true ]; then
    done_ok "$TGT" "$SRC" "moved the tag on target (lease on the source's previous $OLD)"
  else
    done_ok "$TGT" "$SRC" "force-updated target (lease on the source's previous $OLD: the source was force-pushed)"
  fi
}

left_ahead() {
  done_ok "$TGT" "$TGT" "target is ahead of source $SRC (it has all of the source's commits); left unchanged"
}

# conflict: sets FAIL_CODE and FAIL_MSG for a ref that must not be moved (the target has
# commits the source lacks, or the tag differs) and returns FAIL_CODE.
conflict() {
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

# base_complete: makes the scratch repository stop being a partial clone before a push
# from the base: git then never fetches an object it lacks on demand (a push considers
# the target's versions of the files it sends as delta bases, and would fetch each one
# missing). What the push must send is here; a push that finds otherwise fails (FULL_FETCH_NEEDED).
base_complete() {
  git config --remove-section remote.base 2>/dev/null
  git config --unset extensions.partialClone
  case $? in
    0|5) return 0 ;;
  esac
  return 1
}

# tgt_is_parent: whether TGT is a parent of a commit the source fetch brought: then, and
# only then, the source's value descends from it (the source sent every commit between).
tgt_is_parent() {
  awk -v t="$TGT" '{ for (i = 2; i <= NF; i++) if ($i == t) found = 1 } END { exit !found }' "$WORK/new.parents"
}

# push_ready: before a push from the base: fetch_edges, then base_complete.
push_ready() {
  fetch_edges || return
  base_complete || { FAIL_MSG="$REF: git config failed in the scratch repository"; return "$EXIT_INTERNAL"; }
}

# sync_against_base: decides from what the source fetch against the base brought (see
# fetch_source) and acts. Returns FULL_FETCH_NEEDED, with FULL_WHY set, when the push cannot be made from
# the base: it needs commits the target will not hand out, or the target refused it.
sync_against_base() {
  FULL_WHY="the target will not hand out the commits the source's new ones stand on"
  if [ -z "$TGT" ]; then
    push_ready || return
    push_create
    return
  fi
  if [ "$REF_IS_TAG" = false ]; then
    if in_base "$SRC"; then
      left_ahead
      return
    fi
    if tgt_is_parent; then
      push_ready || return
      push_fast_forward
      return
    fi
  fi
  if [ "$OLD_KIND" = sha ] && [ "$TGT" = "$OLD" ]; then
    push_ready || return
    push_overwrite
    return
  fi
  if [ "$REF_IS_TAG" = false ]; then
    source_behind_target || return
    if [ "$BEHIND" = true ]; then
      left_ahead
      return
    fi
  fi
  conflict
}

# sync_plain: decides and acts with the source's whole history at hand (no base).
sync_plain() {
  if [ -z "$TGT" ]; then
    push_create
    return
  fi
  if [ "$REF_IS_TAG" = false ] && ! git cat-file -e "$TGT" 2>/dev/null; then
    fetch target refs/mirror/target || return
    [ -n "$FETCHED" ] || return "$LOOK_AGAIN"
    [ "$FETCHED" = "$TGT" ] || return "$LOOK_AGAIN"
  fi
  if [ "$REF_IS_TAG" = false ] && is_ancestor "$TGT" "$SRC"; then
    push_fast_forward
    return
  fi
  if [ "$OLD_KIND" = sha ] && [ "$TGT" = "$OLD" ]; then
    push_overwrite
    return
  fi
  if [ "$REF_IS_TAG" = false ] && is_ancestor "$SRC" "$TGT"; then
    left_ahead
    return
  fi
  conflict
}

# sync_once: decides and acts once. Returns 0 with SUMMARY set, LOOK_AGAIN when the target or
# source changed during the attempt, or a failure code with FAIL_MSG set.
sync_once() {
  ref_values || return

  if [ -z "$SRC" ]; then
    sync_delete
    return
  fi
  if [ "$SRC" = "$TGT" ]; then
    done_ok "$TGT" "$TGT" "already in sync, nothing to do"
    return
  fi

  fetch_base || return
  fetch_source || return
  [ -n "$FETCHED" ] || return "$LOOK_AGAIN"
  SRC=$FETCHED
  if [ -n "$BASE" ] && [ "$SRC" != "$TGT" ]; then
    sync_against_base
    sync_status=$?
    [ "$sync_status" -eq "$FULL_FETCH_NEEDED" ] || return "$sync_status"
    full_fetch "$FULL_WHY" || return
    [ -n "$FETCHED" ] || return "$LOOK_AGAIN"
    SRC=$FETCHED
  fi
  [ "$SRC" != "$TGT" ] || { done_ok "$TGT" "$TGT" "already in sync, nothing to do"; return; }
  sync_plain
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
  repo_ready || return
  push --force-with-lease="$REF:$OLD" -- "$TARGET_URL" ":$REF" || return
  done_ok "$TGT" "" "deleted on target (lease on $OLD)"
}

# --- reconcile mode: every matching branch and tag at once ----------------------------

# rc_list SIDE: lists SIDE's branches and tags (one ls-remote) into $WORK/rc.SIDE as
# "SHA REF" lines. Peeled lines (REF^{}) are dropped, so an annotated tag keeps its tag
# object id. Lines that are not a hex SHA and a blank-free ref name are only counted, in
# $WORK/rc.bad.SIDE.
rc_list() {
  if [ "$1" = source ]; then rc_url=$SOURCE_URL; else rc_url=$TARGET_URL; fi
  remote "$1" ls-remote --heads --tags -- "$rc_url" ||
    { remote_failed "$1" "ls-remote failed"; return; }
  awk -F "$TAB" -v bad="$WORK/rc.bad.$1" '
    $2 ~ /\^\{\}$/ { next }
    $2 !~ /^refs\/(heads|tags)\// { next }
    NF == 2 && $1 ~ /^[0-9a-f]+$/ && (length($1) == 40 || length($1) == 64) && index($2, " ") == 0 { print $1, $2; next }
    { n++ }
    END { print n + 0 > bad }
  ' <"$WORK/out" >"$WORK/rc.$1" || { FAIL_MSG="reconcile: awk failed reading the $1's ref list"; return "$EXIT_INTERNAL"; }
}

# rc_union: joins both lists into $WORK/rc.union, one "REF SOURCE-SHA TARGET-SHA" line per
# ref on either side (- for absent): the source's order, then refs only on the target.
rc_union() {
  awk '
    side == "s" && !($2 in s) { s[$2] = $1; sorder[++ns] = $2 }
    side == "t" && !($2 in t) { t[$2] = $1; torder[++nt] = $2 }
    END {
      for (i = 1; i <= ns; i++) { r = sorder[i]; print r, s[r], ((r in t) ? t[r] : "-") }
      for (i = 1; i <= nt; i++) { r = torder[i]; if (!(r in s)) print r, "-", t[r] }
    }
  ' side=s "$WORK/rc.source" side=t "$WORK/rc.target" >"$WORK/rc.union" ||
    { FAIL_MSG="reconcile: awk failed joining the ref lists"; return "$EXIT_INTERNAL"; }
}

# rc_keep REF WHY, rc_conflict REF WHY: count a ref kept on purpose, or in conflict, and
# say why (a dry run says it in the ref's status line instead).
rc_keep() {
  RC_KEPT=$((RC_KEPT + 1))
  [ "$DRY_RUN" = true ] || say "kept: $1: $2"
}

rc_conflict() {
  RC_CONFLICTS=$((RC_CONFLICTS + 1))
  [ "$DRY_RUN" = true ] || say "conflict: $1: $2"
}

# rc_skip COUNT MESSAGE: counts COUNT branches or tags skipped for their name or value,
# which no status line can show, and says so, also in a dry run.
rc_skip() {
  RC_CONFLICTS=$((RC_CONFLICTS + $1))
  RC_SKIPPED=$((RC_SKIPPED + $1))
  say "conflict: $2"
}

# rc_status STATE ACTION REF SOURCE-SHA TARGET-SHA REASON: in a dry run, keeps the ref's
# status line for the end of the run (an attempt that lists again starts afresh) and
# counts its state; otherwise nothing.
rc_status() {
  [ "$DRY_RUN" = true ] || return 0
  case $1 in
    in-sync) RC_ST_INSYNC=$((RC_ST_INSYNC + 1)) ;;
    missing) RC_ST_MISSING=$((RC_ST_MISSING + 1)) ;;
    behind) RC_ST_BEHIND=$((RC_ST_BEHIND + 1)) ;;
    ahead) RC_ST_AHEAD=$((RC_ST_AHEAD + 1)) ;;
    diverged) RC_ST_DIVERGED=$((RC_ST_DIVERGED + 1)) ;;
    extra) RC_ST_EXTRA=$((RC_ST_EXTRA + 1)) ;;
  esac
  printf 'mirror: status: %s %s %s %s %s%s\n' "$1" "$2" "$3" "${4:--}" "${5:--}" "${6:+ $6}" >>"$WORK/rc.status"
}

# How to settle one ref by hand: REF TARGET-SHA SOURCE-SHA.
rc_resolve() {
  printf 'To make the target equal the source (dropping target %s): run mode ref with reference=%s and referenceShaOld=%s. To keep the target'"'"'s: run the opposite direction in mode ref with reference=%s and referenceShaOld=%s' "$2" "$1" "$2" "$1" "$3"
  case $1 in
    refs/heads/*) printf ', or merge both into one side.' ;;
    *) printf '.' ;;
  esac
}

# rc_plan: reads $WORK/rc.union; counts and reports what needs no git command (in sync,
# kept, tags that differ, names refused) and writes the rest to $WORK/rc.plan as
# "create REF SRC -", "compare REF SRC TGT" (a branch on both sides) or "delete REF - TGT",
# with the source refs to fetch in $WORK/rc.fetch.
rc_plan() {
  : >"$WORK/rc.plan"
  : >"$WORK/rc.fetch"
  rc_delete=$SYNC_DELETE
  if [ "$rc_delete" = true ] && [ ! -s "$WORK/rc.source" ]; then
    # An empty listing is more likely a wrong URL or a provider hiccup than a repository
    # whose every branch and tag was deleted: never empty the target on that evidence.
    say "reconcile: the source lists no branches or tags at all; deletions are skipped this time"
    rc_delete=false
  fi
  for rc_side in source target; do
    rc_bad=0
    read -r rc_bad <"$WORK/rc.bad.$rc_side" || rc_bad=0
    case $rc_bad in
      0|''|*[!0-9]*) ;;
      *) rc_skip "$rc_bad" "the $rc_side listed $rc_bad branches or tags with a malformed name or value; skipped" ;;
    esac
  done
  while read -r rc_ref rc_src rc_tgt; do
    if [ -n "$FILTERS" ]; then
      rc_match=false
      for pattern in $FILTERS; do
        # shellcheck disable=SC2254 # the ref filter is a glob pattern by design
        case $rc_ref in
          $pattern) rc_match=true; break ;;
        esac
      done
      [ "$rc_match" = true ] || continue
    fi
    if [ "$rc_src" = "$rc_tgt" ]; then
      RC_INSYNC=$((RC_INSYNC + 1))
      # A name the script would not pass to git is in sync all the same; it gets no line.
      ! valid_ref "$rc_ref" || rc_status in-sync none "$rc_ref" "$rc_src" "$rc_tgt" ''
      continue
    fi
    if ! valid_ref "$rc_ref" || ! git check-ref-format "$rc_ref" </dev/null >/dev/null 2>&1; then
      rc_skip 1 "$(shown "$rc_ref"): not a valid branch or tag name; skipped (never passed to git)"
      continue
    fi
    if [ "$rc_tgt" = - ]; then
      rc_status missing create "$rc_ref" "$rc_src" - "creates it on the target"
      # A dry run needs no objects to know a ref is missing.
      [ "$DRY_RUN" = true ] && continue
      printf 'create %s %s -\n' "$rc_ref" "$rc_src" >>"$WORK/rc.plan"
      printf '+%s:refs/mirror/src/%s\n' "$rc_ref" "${rc_ref#refs/}" >>"$WORK/rc.fetch"
    elif [ "$rc_src" = - ]; then
      if [ "$TWO_WAY" = true ]; then
        rc_keep "$rc_ref" "only on the target ($rc_tgt); a two-way reconcile never deletes"
        rc_status extra keep "$rc_ref" - "$rc_tgt" "keeps it: a two-way reconcile never deletes; the opposite direction creates it on the source"
      elif [ "$rc_delete" = true ]; then
        rc_status extra delete "$rc_ref" - "$rc_tgt" "deletes it on the target (gone on the source; syncDelete is true)"
        [ "$DRY_RUN" = true ] || printf 'delete %s - %s\n' "$rc_ref" "$rc_tgt" >>"$WORK/rc.plan"
      elif [ "$SYNC_DELETE" = true ]; then
        rc_keep "$rc_ref" "only on the target ($rc_tgt); not deleted: the source lists nothing"
        rc_status extra keep "$rc_ref" - "$rc_tgt" "keeps it: the source lists no branches or tags at all"
      else
        rc_keep "$rc_ref" "only on the target ($rc_tgt); deletions are not mirrored (syncDelete is not true)"
        rc_status extra keep "$rc_ref" - "$rc_tgt" "keeps it: deletions are not mirrored (syncDelete is not true)"
      fi
    else
      case $rc_ref in
        refs/tags/*)
          rc_conflict "$rc_ref" "the tag differs: target has $rc_tgt, source has $rc_src; a reconcile never moves a tag. $(rc_resolve "$rc_ref" "$rc_tgt" "$rc_src")"
          rc_status diverged conflict "$rc_ref" "$rc_src" "$rc_tgt" "leaves it: the tag differs and a reconcile never moves a tag; resolve by hand"
          ;;
        *)
          printf 'compare %s %s %s\n' "$rc_ref" "$rc_src" "$rc_tgt" >>"$WORK/rc.plan"
          printf '+%s:refs/mirror/src/%s\n' "$rc_ref" "${rc_ref#refs/}" >>"$WORK/rc.fetch"
          ;;
      esac
    fi
  done <"$WORK/rc.union"
  return 0
}

# rc_fetch SIDE FILE: fetches the refspecs listed in FILE from SIDE, all in one fetch.
# Returns LOOK_AGAIN when a listed ref is gone (it changed since the listing).
rc_fetch() {
  if [ "$1" = source ]; then rc_url=$SOURCE_URL; else rc_url=$TARGET_URL; fi
  if ! remote_fetch "$1" --stdin -- "$rc_url" <"$2"; then
    read_err
    case $ERR_TEXT in
      *"couldn't find remote ref"*) return "$LOOK_AGAIN" ;;
    esac
    remote_failed "$1" "fetch failed"
    return
  fi
}

# rc_objects: makes sure every object the decision needs is here. The listed source SHAs
# must have come with the fetch (else the source changed: LOOK_AGAIN); a target tip the source's
# history lacks is fetched from the target, by name, in one more fetch.
rc_objects() {
  : >"$WORK/rc.want"
  while read -r rc_kind rc_ref rc_src rc_tgt; do
    [ "$rc_kind" = delete ] || printf '%s\n' "$rc_src" >>"$WORK/rc.want"
  done <"$WORK/rc.plan"
  git cat-file --batch-check <"$WORK/rc.want" >"$WORK/rc.have" 2>"$WORK/err" ||
    { FAIL_MSG="reconcile: git cat-file failed in the scratch repository"; return "$EXIT_INTERNAL"; }
  while read -r _ rc_type; do
    [ "$rc_type" = missing ] && return "$LOOK_AGAIN"
  done <"$WORK/rc.have"

  : >"$WORK/rc.fetch.target"
  while read -r rc_kind rc_ref rc_src rc_tgt; do
    [ "$rc_kind" = compare ] || continue
    git cat-file -e "$rc_tgt" </dev/null 2>/dev/null ||
      printf '+%s:refs/mirror/tgt/%s\n' "$rc_ref" "${rc_ref#refs/}" >>"$WORK/rc.fetch.target"
  done <"$WORK/rc.plan"
  [ -s "$WORK/rc.fetch.target" ] || return 0
  rc_fetch target "$WORK/rc.fetch.target" || return
  while read -r rc_kind rc_ref rc_src rc_tgt; do
    [ "$rc_kind" = compare ] || continue
    git cat-file -e "$rc_tgt" </dev/null 2>/dev/null || return "$LOOK_AGAIN"
  done <"$WORK/rc.plan"
  return 0
}

# rc_decide: turns the plan into $WORK/rc.push lines "REF NEW-SHA EXPECTED-SHA" (- for a
# deletion or a creation) and reports each update; a branch whose target is not behind
# the source is kept (two-way, target ahead) or reported as a conflict.
rc_decide() {
  : >"$WORK/rc.push"
  while read -r rc_kind rc_ref rc_src rc_tgt; do
    case $rc_kind in
      create)
        printf '%s %s -\n' "$rc_ref" "$rc_src" >>"$WORK/rc.push"
        say "create: $rc_ref: (none) -> $rc_src"
        ;;
      delete)
        printf '%s - %s\n' "$rc_ref" "$rc_tgt" >>"$WORK/rc.push"
        say "delete: $rc_ref: $rc_tgt -> (none) (gone on the source; syncDelete is true)"
        ;;
      compare)
        if git merge-base --is-ancestor "$rc_tgt" "$rc_src" </dev/null >/dev/null 2>&1; then
          rc_status behind fast-forward "$rc_ref" "$rc_src" "$rc_tgt" "fast-forwards the target"
          [ "$DRY_RUN" = true ] && continue
          printf '%s %s %s\n' "$rc_ref" "$rc_src" "$rc_tgt" >>"$WORK/rc.push"
          say "fast-forward: $rc_ref: $rc_tgt -> $rc_src"
        elif git merge-base --is-ancestor "$rc_src" "$rc_tgt" </dev/null >/dev/null 2>&1; then
          if [ "$TWO_WAY" = true ]; then
            rc_keep "$rc_ref" "target $rc_tgt is ahead of source $rc_src (it has all of the source's commits); the opposite direction carries it back"
            rc_status ahead keep "$rc_ref" "$rc_src" "$rc_tgt" "keeps it: the opposite direction carries it back"
          else
            rc_conflict "$rc_ref" "target $rc_tgt is ahead of source $rc_src: it has commits the source lacks, which a one-way mirror does not drop. To drop them: run mode ref with reference=$rc_ref and referenceShaOld=$rc_tgt. To keep them: push them to the source."
            rc_status ahead conflict "$rc_ref" "$rc_src" "$rc_tgt" "leaves it: the target has commits the source lacks, which a one-way mirror does not drop; resolve by hand"
          fi
        else
          rc_conflict "$rc_ref" "target $rc_tgt and source $rc_src have diverged: each has commits the other lacks. $(rc_resolve "$rc_ref" "$rc_tgt" "$rc_src")"
          rc_status diverged conflict "$rc_ref" "$rc_src" "$rc_tgt" "leaves it: each side has commits the other lacks; resolve by hand"
        fi
        ;;
    esac
  done <"$WORK/rc.plan"
  return 0
}

# rc_push_batch: pushes the updates listed in $WORK/rc.batch in one non-atomic push, each
# under --force-with-lease on the target value listed at the start (empty: must not
# exist), and tallies git's per-ref porcelain report. A batch of more than one ref that
# the target refused for its size (see rc_too_large) is not tallied: PUSH_TOO_LARGE.
rc_push_batch() {
  rc_rows=0
  set -- --porcelain
  while read -r rc_ref rc_new rc_old; do
    [ "$rc_old" = - ] && rc_old=
    set -- "$@" "--force-with-lease=$rc_ref:$rc_old"
    rc_rows=$((rc_rows + 1))
  done <"$WORK/rc.batch"
  set -- "$@" -- "$TARGET_URL"
  while read -r rc_ref rc_new rc_old; do
    if [ "$rc_new" = - ]; then set -- "$@" ":$rc_ref"; else set -- "$@" "$rc_new:$rc_ref"; fi
  done <"$WORK/rc.batch"
  remote target push "$@" </dev/null
  rc_status=$?
  read_err
  if [ "$rc_rows" -gt 1 ] && rc_too_large; then
    return "$PUSH_TOO_LARGE"
  fi
  rc_seen=0
  while IFS= read -r rc_line || [ -n "$rc_line" ]; do
    case $rc_line in
      ?"$TAB"*:refs/*"$TAB"*) ;;
      *) continue ;;
    esac
    rc_seen=$((rc_seen + 1))
    rc_flag=${rc_line%%"$TAB"*}
    rc_rest=${rc_line#*"$TAB"}
    rc_ref=${rc_rest%%"$TAB"*}
    rc_ref=${rc_ref#*:}
    rc_why=${rc_rest#*"$TAB"}
    case $rc_flag in
      '*') RC_CREATED=$((RC_CREATED + 1)) ;;
      ' '|'+') RC_FF=$((RC_FF + 1)) ;;
      '-') RC_DELETED=$((RC_DELETED + 1)) ;;
      '=') RC_INSYNC=$((RC_INSYNC + 1)) ;;
      *)
        RC_FAILED=$((RC_FAILED + 1))
        # Changed before the push (the lease, checked by git) or during it (the server's
        # compare-and-swap on the old value): a race, not a refusal.
        case $rc_why in
          *"(stale info)"*|*"(fetch first)"*|*"(non-fast-forward)"*|*"(already exists)"*) rc_raced=true ;;
          *) rc_raced=false ;;
        esac
        case $ERR_TEXT in
          *"'$rc_ref': is at "*|*"'$rc_ref': reference already exists"*|*"'$rc_ref': reference is missing"*|*"'$rc_ref': unable to resolve reference"*) rc_raced=true ;;
        esac
        case $rc_raced in
          true)
            RC_MOVED=true
            say "not moved: $rc_ref: it changed on the target while reconciling: $rc_why; left as it is (the next run looks again)"
            ;;
          *)
            RC_REFUSED=true
            say "not moved: $rc_ref: the target refused the update: $rc_why (a protected ref, a hook or a permission on the target)"
            ;;
        esac
        ;;
    esac
  done <"$WORK/out"
  if [ "$rc_status" -ne 0 ] && [ "$rc_seen" -lt "$rc_rows" ]; then
    remote_failed target "push failed"
    return
  fi
  [ "$RC_REFUSED" = true ] && show_err
  return 0
}

# rc_too_large: whether the last push (git's exit status in rc_status) was refused for its size:
# the target rejected every ref of it, none updated, with a message about how many refs a
# push may update (GitHub's push policy: "Pushes can not update more than 5 branches or
# tags"); or the request failed as too large (HTTP 413) or timed out (HTTP 504, or too
# slow for git's low-speed limit). Reads $WORK/out and ERR_TEXT.
rc_too_large() {
  rc_updated=0
  rc_rejected=0
  while IFS= read -r rc_line || [ -n "$rc_line" ]; do
    case $rc_line in
      '!'"$TAB"*:refs/*"$TAB"*) rc_rejected=$((rc_rejected + 1)) ;;
      [*+\ -]"$TAB"*:refs/*"$TAB"*) rc_updated=$((rc_updated + 1)) ;;
    esac
  done <"$WORK/out"
  [ "$rc_updated" -eq 0 ] || return 1
  rc_said=$(printf '%s' "$ERR_TEXT" | tr '[:upper:]' '[:lower:]')
  if [ "$rc_rejected" -gt 0 ]; then
    case $rc_said in
      *"more than "[0-9]*" branch"*|*"more than "[0-9]*" tag"*|*"more than "[0-9]*" ref"*|*"too many branches"*|*"too many refs"*|*"too many ref updates"*) return 0 ;;
    esac
    return 1
  fi
  [ "$rc_status" -ne 0 ] || return 1
  case $rc_said in
    *"returned error: 413"*|*"http 413"*|*"entity too large"*|*"returned error: 504"*|*"http 504"*|*"operation too slow"*) return 0 ;;
  esac
  return 1
}

# rc_take FILE: splits FILE's updates into $WORK/rc.batch, the first RC_LIMIT of them (fewer
# when their arguments would pass MAX_PUSH_ARG_BYTES), and the rest, into RC_REST.
rc_take() {
  if [ "$1" = "$WORK/rc.rest.a" ]; then RC_REST=$WORK/rc.rest.b; else RC_REST=$WORK/rc.rest.a; fi
  : >"$WORK/rc.batch"
  : >"$RC_REST"
  awk -v limit="$RC_LIMIT" -v bytes="$MAX_PUSH_ARG_BYTES" -v batch="$WORK/rc.batch" -v rest="$RC_REST" '
    taking && n < limit && (n == 0 || size + 2 * length($1) + 128 <= bytes) {
      print > batch; n++; size += 2 * length($1) + 128; next
    }
    { taking = 0; print > rest }
  ' taking=1 "$1" || { FAIL_MSG="reconcile: awk failed splitting the updates"; return "$EXIT_INTERNAL"; }
}

# rc_push: pushes $WORK/rc.push in batches of at most RC_LIMIT refs (see rc_take), one
# after the other. A batch the target refuses for its size is sent again in halves, and
# the smaller size is kept for the rest of the run.
rc_push() {
  rc_todo=$WORK/rc.push
  while [ -s "$rc_todo" ]; do
    rc_take "$rc_todo" || return
    rc_push_batch </dev/null
    rc_pushed=$?
    if [ "$rc_pushed" -eq "$PUSH_TOO_LARGE" ]; then
      RC_LIMIT=$(((rc_rows + 1) / 2))
      say "reconcile: the target refused a push of $rc_rows refs for its size; pushing at most $RC_LIMIT at a time"
      show_err
      continue
    fi
    [ "$rc_pushed" -eq 0 ] || return "$rc_pushed"
    rc_todo=$RC_REST
  done
  return 0
}

# reconcile_once: one listing, plan, fetch and push. Returns 0 with the RC_ counts set,
# LOOK_AGAIN when a ref changed before the push (list again), or a failure code with FAIL_MSG.
reconcile_once() {
  RC_CREATED=0 RC_FF=0 RC_DELETED=0 RC_INSYNC=0 RC_KEPT=0 RC_CONFLICTS=0 RC_FAILED=0 RC_SKIPPED=0
  RC_ST_INSYNC=0 RC_ST_MISSING=0 RC_ST_BEHIND=0 RC_ST_AHEAD=0 RC_ST_DIVERGED=0 RC_ST_EXTRA=0
  RC_MOVED=false
  RC_REFUSED=false
  : >"$WORK/rc.status" || { FAIL_MSG="reconcile: cannot write in $WORK"; return "$EXIT_INTERNAL"; }
  rc_list source || return
  rc_list target || return
  repo_ready || return
  rc_union || return
  rc_plan || return
  if [ -s "$WORK/rc.fetch" ]; then
    rc_fetch source "$WORK/rc.fetch" || return
    rc_objects || return
  fi
  rc_decide || return
  # A dry run never pushes.
  [ "$DRY_RUN" = false ] || return 0
  [ -s "$WORK/rc.push" ] || return 0
  rc_push
}

# dry_run_report: prints the status lines of a dry run and ends it: exit 0 when every
# matching ref is in sync, EXIT_OUT_OF_SYNC when any differs (or was skipped).
dry_run_report() {
  while IFS= read -r st_line; do
    printf '%s\n' "$st_line"
  done <"$WORK/rc.status"
  st_total=$((RC_ST_INSYNC + RC_ST_MISSING + RC_ST_BEHIND + RC_ST_AHEAD + RC_ST_DIVERGED + RC_ST_EXTRA))
  st_counts="$st_total refs: $RC_ST_INSYNC in-sync, $RC_ST_MISSING missing, $RC_ST_BEHIND behind, $RC_ST_AHEAD ahead, $RC_ST_DIVERGED diverged, $RC_ST_EXTRA extra, $RC_SKIPPED skipped"
  if [ "$st_total" -ne "$RC_ST_INSYNC" ] || [ "$RC_SKIPPED" -ne 0 ]; then
    die "$EXIT_OUT_OF_SYNC" "status: $st_counts; nothing was changed (dry run)"
  fi
  say "ok: status: $st_counts; nothing was changed (dry run)"
  exit "$EXIT_OK"
}

reconcile_main() {
  command -v awk >/dev/null 2>&1 || die "$EXIT_MISSING_TOOL" "'awk' is not installed in the step's image (mode reconcile needs it)"
  if [ "$TWO_WAY" = true ] && [ "$SYNC_DELETE" = true ]; then
    say "reconcile: syncDelete is true but the pair is two-way: treated as false (a two-way reconcile never deletes)"
    SYNC_DELETE=false
  fi
  if [ -n "$FILTERS" ]; then rc_filters=$(shown "$FILTERS"); else rc_filters='(all branches and tags)'; fi
  if [ "$DRY_RUN" = true ]; then rc_dry=', dry run: nothing is changed'; else rc_dry=; fi
  say "reconcile: $SOURCE_URL -> $TARGET_URL (twoWay: $TWO_WAY, syncDelete: $SYNC_DELETE, refFilters: $rc_filters$rc_dry)"
  # Refs per push: halved whenever the target refuses a push for its size, for the whole run.
  RC_LIMIT=$MAX_REFS
  retrying reconcile_once "reconcile: refs changed while reconciling; listing again" \
    "reconcile: refs kept changing while reconciling"
  [ "$DRY_RUN" = false ] || dry_run_report
  rc_counts="$RC_CREATED created, $RC_FF fast-forwarded, $RC_DELETED deleted, $RC_INSYNC in sync, $RC_KEPT kept, $RC_CONFLICTS conflicts, $RC_FAILED not moved"
  [ "$RC_REFUSED" = true ] &&
    die "$EXIT_PUSH_REJECTED" "reconcile: $rc_counts; the target refused updates listed above (protected refs, hooks or permissions)"
  [ "$RC_CONFLICTS" -gt 0 ] &&
    die "$EXIT_RECONCILE_CONFLICTS" "reconcile: $rc_counts; the conflicts listed above were left as they are (each line says how to resolve it)"
  [ "$RC_MOVED" = true ] &&
    die "$EXIT_TARGET_MOVED" "reconcile: $rc_counts; refs listed above changed on the target while reconciling and were not overwritten; the next run looks again"
  say "ok: reconcile: $rc_counts"
  exit "$EXIT_OK"
}

# --- retries ----------------------------------------------------------------------

# retrying ONCE AGAIN-LINE GAVE-UP-LINE: runs ONCE (sync_once, reconcile_once) until it
# returns 0. When it returns LOOK_AGAIN (a ref changed meanwhile) it runs again, saying
# AGAIN-LINE, up to MAX_LOOKS times, then stops with exit 31 and GAVE-UP-LINE; a transient
# failure (exit 22) is retried ATTEMPTS times with a backoff doubling from DELAY seconds;
# any other failure stops the run with its code and FAIL_MSG.
retrying() {
  attempt=1
  looks=1
  delay=$DELAY
  while :; do
    "$1"
    status=$?
    [ "$status" -ne 0 ] || return 0
    if [ "$status" -eq "$LOOK_AGAIN" ]; then
      [ "$looks" -lt "$MAX_LOOKS" ] ||
        die "$EXIT_TARGET_MOVED" "$3 ($MAX_LOOKS tries); run again when pushes have settled"
      looks=$((looks + 1))
      say "$2"
      continue
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
}

# --- main -------------------------------------------------------------------------

# ref_main: mirrors the one ref (mode ref) and exits.
ref_main() {
  say "$REF: $SOURCE_URL -> $TARGET_URL (old SHA: ${OLD:-(none)}, syncDelete: $SYNC_DELETE)"
  retrying sync_once "$REF changed while mirroring; looking again" "$REF kept changing while mirroring"
  say "$SUMMARY"
  exit "$EXIT_OK"
}

# main: validates every input, then sets up git and runs the mode.
main() {
  read_inputs
  check_tools
  git_environment
  load_credentials
  make_work_dir
  if [ "$MODE" = reconcile ]; then
    reconcile_main
  else
    ref_main
  fi
}

# Sourced by the unit tests with MIRROR_SCRIPT_SOURCED=1, it only defines its functions.
[ "${MIRROR_SCRIPT_SOURCED-}" = 1 ] || main "$@"
