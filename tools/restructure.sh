#!/usr/bin/env bash
# Package restructuring of issue 12 (items 1 and 3): draws the API line of the
# `netlink` module with packages, and gives look-alike types names that say what
# they are. Re-runnable and idempotent: a second run finds nothing to move or
# rename and changes nothing.
#
# HOW TO APPLY (lead, after merging every branch):
#   1. Merge all branches, taking api-pack only up to the commit before "restructure:"
#      (that commit is this script's output on the api-pack branch, kept to show the
#      result). Use this script as it is at the tip of api-pack:
#        git show api-pack:tools/restructure.sh > tools/restructure.sh
#   2. From the repository root, on a clean work tree:   tools/restructure.sh
#      (a second run prints "nothing to do").
#   3. Build: mvn -B -q -DskipTests package. A compile error now is a package-private
#      member used across the new package line (see "Package-private access" below):
#      make that member public in the internal class (internals are not exported,
#      so this widens nothing for users), then re-run this script (it is idempotent)
#      and build again. Files that others add to dev.overlaynet.netlink move to
#      .internal unless their name is in API_ROOT: add a new API type there first.
#   4. git add -A && git commit -m "restructure: ..."
#   5. Cherry-pick every api-pack commit after "restructure:" (module-info.java for
#      netlink and core, the smoke-modulepath module, Link.toString, javadoc config,
#      README). module-info lists the packages this script creates; if a helper
#      added a package (a testkit module, a monitor package), add it there: exported
#      if it is API, "exports ... to dev.overlaynet.core, dev.overlaynet.testkit" if
#      not. Netlink.socket() (public) returns the internal NetlinkSocket, and api-socket's
#      NetlinkListener hands out the internal codec's MessageReader: javac warns "may not
#      be visible to all clients". Decide: give the listener a small public view of a
#      message (type, flags, seq, bytes) and make socket() package-private, or move the
#      codec readers to the API (add them to API_FROM_CODEC, they then land in
#      dev.overlaynet.netlink).
#
# WHAT MOVES (netlink module, main and test sources alike; files other helpers add
# later follow the same rules because the rules are "everything except ..."):
#   dev.overlaynet.netlink            keeps only the API allowlist ($API_ROOT below);
#                                     the jnr-ffi binding (LibC) goes to ...netlink.internal.ffi,
#                                     every other type to ...netlink.internal
#   dev.overlaynet.netlink.codec      -> ...netlink.internal.codec
#                                     (NetlinkDecodeException -> ...netlink: users catch it)
#   dev.overlaynet.netlink.route      generated uapi constants + AddressFamily -> ...internal.uapi,
#                                     the rest -> ...internal.route
#   dev.overlaynet.netlink.nftables   generated uapi constants -> ...internal.uapi,
#                                     ConcurrentRulesetChangeException -> ...netlink (users catch it),
#                                     the rest (wire types, expressions) -> ...internal.nftables
# Test sources in those packages (any module) move with their package, so
# package-private tests keep working.
#
# RENAMES (item 3): types whose names differed only by case or length, and the
# service/value pattern "service = plural of its value":
#   NfTables (nf_tables.h constants)   -> NfTablesUapi   (generated; gen-uapi-constants.py updated)
#   Nft (the nf_tables wire client)    -> NftClient
#   Nftables (typed NAT service)       keeps its name: nl.nftables(), the noun users know
#   Neigh / NeighState / NeighFlag     -> Neighbour / NeighbourState / NeighbourFlag  (service Neighbours)
#   Fdb / FdbState                     -> FdbEntry / FdbEntryState                      (service FdbEntries)
#   Links/Link, Addresses/Address, Routes/Route already follow the pattern.
# Every *.java, README.md and tools/*.py in the repository is rewritten (fully
# qualified names, imports, static imports, simple names with word boundaries).
# CHANGELOG.md is not rewritten: its past entries keep the names they were written with.
#
# Package-private access: types that stay in dev.overlaynet.netlink and types that
# move to .internal may have used each other's package-private members. The
# rules below publish the ones known on the api-pack branch (listed in
# publish_members); a new one shows up as a compile error (step 3).
set -euo pipefail

root=$(git rev-parse --show-toplevel)
cd "$root"

NL=dev/overlaynet/netlink
# The API of dev.overlaynet.netlink. The second line is branch api-socket's public seam
# (NetNs.call's task types, the listener on the handle, the fake-kernel endpoint and
# transport); names that do not exist are simply not matched.
API_ROOT="NetNs NetlinkException DumpInterruptedException AckMode NetlinkSocketOptions RequestDescriber"
API_ROOT="$API_ROOT NsCallable NsRunnable NetlinkListener KernelEndpoint NetlinkTransport NetlinkProtocol"
API_FROM_CODEC="NetlinkDecodeException"
API_FROM_NFT="ConcurrentRulesetChangeException"
API_ROOT="$API_ROOT $API_FROM_CODEC $API_FROM_NFT"   # those two live in the root package once moved
# The jnr-ffi binding interfaces: jnr generates their implementations in an unnamed module,
# so their package must be exported to everyone (module-info says why); nothing else goes there.
FFI="LibC EventCalls"
UAPI_ROUTE="RtNetlink Ifla IfLink Ifa Nda IfBridge NetNsa AddressFamily"
UAPI_NFT="NfTablesUapi NfNetlink NfNat Netfilter"

changed=0
moves=()

# Package-private members that code on the other side of the new package line uses:
# make them public (they are in non-exported internal packages or were already
# reachable). Each entry: file (relative to netlink/src/main/java/dev/overlaynet/netlink)
# and a perl substitution. Idempotent: each pattern matches only the package-private form.
publish_members() {
    local base=netlink/src/main/java/$NL
    # Top-level types of the internal packages: public (the packages are not exported).
    if [ -d "$base/internal" ]; then
        find "$base/internal" -name '*.java' -print0 | xargs -0 -r perl -0pi -e \
            's/^((?:final |abstract |sealed |non-sealed )*)(class|interface|enum|record) /public $1$2 /mg'
        # Package-private static members of the old root package's internals (Native.libc(),
        # NsThreads.call(..), ProcessReaperWarmup.LOCK...), which NetNs uses: public.
        for d in "$base/internal" "$base/internal/ffi"; do
            if [ -d "$d" ]; then find "$d" -maxdepth 1 -name '*.java' -print0; fi
        done | xargs -0 -r perl -0pi -e \
            's/^    static (?!\{)/    public static /mg'
    fi
    while IFS='|' read -r file expr; do
        [ -n "$file" ] || continue
        [ -f "$base/$file" ] || continue
        perl -0pi -e "$expr" "$base/$file"
    done <<'LIST'
LIST
}   # "oldpkg newpkg Class" (dot packages), for the reference rewrite

is_api_test() { local c=$1 a; for a in $API_ROOT; do [[ $c == ${a}[A-Z]*Test ]] && return 0; done; return 1; }
contains() { local w=$1; shift; for x in "$@"; do [ "$x" = "$w" ] && return 0; done; return 1; }

# git mv that creates the directory; records the move.
mv_class() { # srcfile dstdir oldpkg newpkg
    local src=$1 dstdir=$2 oldpkg=$3 newpkg=$4 cls
    cls=$(basename "$src" .java)
    mkdir -p "$dstdir"
    git mv -k "$src" "$dstdir/$cls.java"
    sed -i -E "s/^package ${oldpkg//./\\.};/package ${newpkg};/" "$dstdir/$cls.java"
    changed=1
}

# Every source root that can hold a package of the netlink module: main and test of every module.
src_roots() {
    for d in */src/main/java */src/test/java; do
        [ -d "$d" ] && echo "$d"
    done
}

# ---- 1. class renames (file names), first: the moves below then see the new names ----------------------------------------------------
RENAMES="NfTables:NfTablesUapi Nft:NftClient Neigh:Neighbour NeighState:NeighbourState NeighFlag:NeighbourFlag Fdb:FdbEntry FdbState:FdbEntryState"
for r in $RENAMES; do
    old=${r%%:*}; new=${r##*:}
    while IFS= read -r f; do
        [ -n "$f" ] || continue
        git mv -k "$f" "$(dirname "$f")/$new.java"
        changed=1
    done < <(git ls-files -- "*/$old.java")
done

# ---- 2. moves -----------------------------------------------------------------------
for sr in $(src_roots); do
    base="$sr/$NL"
    [ -d "$base" ] || continue
    # root package: all but the API allowlist -> internal
    for f in "$base"/*.java; do
        [ -e "$f" ] || continue
        c=$(basename "$f" .java)
        contains "$c" $API_ROOT && continue
        [ "$c" = package-info ] && continue
        # A test named after an API type (NetNsBasicsTest) stays beside it: it may use its package-private parts.
        if [[ $sr == */src/test/java ]] && is_api_test "$c"; then continue; fi
        if contains "$c" $FFI; then
            mv_class "$f" "$base/internal/ffi" dev.overlaynet.netlink dev.overlaynet.netlink.internal.ffi
            moves+=("dev.overlaynet.netlink dev.overlaynet.netlink.internal.ffi $c")
            continue
        fi
        mv_class "$f" "$base/internal" dev.overlaynet.netlink dev.overlaynet.netlink.internal
        moves+=("dev.overlaynet.netlink dev.overlaynet.netlink.internal $c")
    done
    # codec
    for f in "$base"/codec/*.java; do
        [ -e "$f" ] || continue
        c=$(basename "$f" .java)
        if contains "$c" $API_FROM_CODEC; then
            mv_class "$f" "$base" dev.overlaynet.netlink.codec dev.overlaynet.netlink
            moves+=("dev.overlaynet.netlink.codec dev.overlaynet.netlink $c")
        else
            mv_class "$f" "$base/internal/codec" dev.overlaynet.netlink.codec dev.overlaynet.netlink.internal.codec
            moves+=("dev.overlaynet.netlink.codec dev.overlaynet.netlink.internal.codec $c")
        fi
    done
    # route
    for f in "$base"/route/*.java; do
        [ -e "$f" ] || continue
        c=$(basename "$f" .java)
        if contains "$c" $UAPI_ROUTE; then
            mv_class "$f" "$base/internal/uapi" dev.overlaynet.netlink.route dev.overlaynet.netlink.internal.uapi
            moves+=("dev.overlaynet.netlink.route dev.overlaynet.netlink.internal.uapi $c")
        else
            mv_class "$f" "$base/internal/route" dev.overlaynet.netlink.route dev.overlaynet.netlink.internal.route
            moves+=("dev.overlaynet.netlink.route dev.overlaynet.netlink.internal.route $c")
        fi
    done
    # nftables
    for f in "$base"/nftables/*.java; do
        [ -e "$f" ] || continue
        c=$(basename "$f" .java)
        if contains "$c" $UAPI_NFT; then
            mv_class "$f" "$base/internal/uapi" dev.overlaynet.netlink.nftables dev.overlaynet.netlink.internal.uapi
            moves+=("dev.overlaynet.netlink.nftables dev.overlaynet.netlink.internal.uapi $c")
        elif contains "$c" $API_FROM_NFT; then
            mv_class "$f" "$base" dev.overlaynet.netlink.nftables dev.overlaynet.netlink
            moves+=("dev.overlaynet.netlink.nftables dev.overlaynet.netlink $c")
        else
            mv_class "$f" "$base/internal/nftables" dev.overlaynet.netlink.nftables dev.overlaynet.netlink.internal.nftables
            moves+=("dev.overlaynet.netlink.nftables dev.overlaynet.netlink.internal.nftables $c")
        fi
    done
    # remove emptied directories (git does not track them)
    for d in codec route nftables; do
        [ -d "$base/$d" ] && find "$base/$d" -type d -empty -delete
    done
done

# Test resources that live under a moved package's directory follow it.
for rr in */src/test/resources */src/main/resources; do
    [ -d "$rr/$NL" ] || continue
    for d in codec route nftables; do
        if [ -d "$rr/$NL/$d" ] && [ -n "$(ls -A "$rr/$NL/$d")" ]; then
            mkdir -p "$rr/$NL/internal/$d"
            for f in "$rr/$NL/$d"/*; do git mv -k "$f" "$rr/$NL/internal/$d/"; done
            changed=1
        fi
    done
done

# ---- 3. references --------------------------------------------------------------------
# Files to rewrite: every tracked or new Java file, README, the uapi generator.
mapfile -t files < <( { git ls-files -co --exclude-standard -- '*.java' 'README.md' '*/README.md' 'tools/*.py'; } \
    | grep -v '/target/' | sort -u)

perl_expr=""
# 3a. simple-name renames, first, so the FQN rules below see the new names (word boundaries: NfTablesUapi, NftClient, Neighbours, FdbEntries never match).
for r in $RENAMES; do
    old=${r%%:*}; new=${r##*:}
    perl_expr+="s/\\b${old}\\b/${new}/g;"
done
# 3b. fully qualified names of moved classes (imports, static imports, FQNs in code and javadoc).
#     Old-package FQNs of a class that moved: dev.overlaynet.netlink.route.Ifla -> ...internal.uapi.Ifla.
#     The regexes match only the old package, so a second run finds nothing.
for m in "${moves[@]+"${moves[@]}"}"; do
    read -r oldpkg newpkg cls <<<"$m"
    perl_expr+="s/\\b\\Q${oldpkg}.${cls}\\E\\b/${newpkg}.${cls}/g;"
done
# Classes moved on an earlier run (idempotence) and by rule, for files other helpers add later
# that still import the old places: derive the rule from where the class now lives.
for sr in $(src_roots); do
    base="$sr/$NL"
    [ -d "$base" ] || continue
    for f in $(find "$base" -name '*.java' 2>/dev/null); do
        cls=$(basename "$f" .java)
        pkg=$(sed -n -E 's/^package ([a-z0-9_.]+);/\1/p' "$f" | head -1)
        for oldpkg in dev.overlaynet.netlink dev.overlaynet.netlink.codec dev.overlaynet.netlink.route dev.overlaynet.netlink.nftables; do
            [ "$oldpkg" = "$pkg" ] && continue
            perl_expr+="s/\\b\\Q${oldpkg}.${cls}\\E\\b/${pkg}.${cls}/g;"
        done
    done
done
# Wildcard imports of the old packages.
perl_expr+='s/^import dev\.overlaynet\.netlink\.(codec|route|nftables)\.\*;/import dev.overlaynet.netlink.internal.$1.*;\nimport dev.overlaynet.netlink.internal.uapi.*;/mg;'

# The generator writes the uapi classes where they now live.
perl_expr+='s/\("(?:route|nftables)", "(RtNetlink|Ifla|IfLink|Ifa|Nda|IfBridge|NfTables|NfTablesUapi|NfNetlink|NfNat|Netfilter)"/("internal\/uapi", "$1"/g;'
perl_expr+='s/"package dev\.overlaynet\.netlink\.%s;\\n\\n" % pkg(?!\.replace)/"package dev.overlaynet.netlink.%s;\\n\\n" % pkg.replace("\/", ".")/g;'

before=$(cat "${files[@]}" | sha256sum)
perl -0pi -e "$perl_expr" "${files[@]}"

# 3c. imports for references that were same-package and are now cross-package: a file
#     whose old package is P needs an import for each class that was in P, moved
#     elsewhere than the file, and is named in it. Only on a run that moved something.
if [ ${#moves[@]} -gt 0 ]; then
    declare -A oldpkg=() newpkg=()
    for m in "${moves[@]}"; do
        read -r o n c <<<"$m"
        oldpkg[$c]=$o; newpkg[$c]=$n
    done
    for c in $API_ROOT; do
        [ -n "${oldpkg[$c]:-}" ] || { oldpkg[$c]=dev.overlaynet.netlink; newpkg[$c]=dev.overlaynet.netlink; }
    done
    mapfile -t netlink_files < <(for sr in $(src_roots); do [ -d "$sr/$NL" ] && find "$sr/$NL" -name '*.java'; done)
    for f in "${netlink_files[@]}"; do
        me=$(basename "$f" .java)
        [ -n "${oldpkg[$me]:-}" ] || continue
        imports=""
        for c in "${!oldpkg[@]}"; do
            [ "$c" = "$me" ] && continue
            [ "${oldpkg[$c]}" = "${oldpkg[$me]}" ] || continue
            [ "${newpkg[$c]}" = "${newpkg[$me]}" ] && continue
            grep -qE "^import ${newpkg[$c]//./\\.}\.${c};" "$f" && continue
            if grep -qE "(^|[^A-Za-z0-9_.\"])${c}\b" "$f"; then
                imports+="import ${newpkg[$c]}.${c};"$'\n'
            fi
        done
        if [ -n "$imports" ]; then
            printf '%s' "$imports" | sort > /tmp/restructure-imports.$$
            sed -i -E "0,/^package [a-z0-9_.]+;/{/^package [a-z0-9_.]+;/r /tmp/restructure-imports.$$
}" "$f"
            rm -f /tmp/restructure-imports.$$
        fi
    done
fi

# 3d. package-private members used across the new line, published (see header).
publish_members

after=$(cat "${files[@]}" | sha256sum)
[ "$before" != "$after" ] && changed=1

if [ $changed = 1 ]; then
    echo "restructure: done; now build (mvn -B -q -DskipTests package) and commit"
else
    echo "restructure: nothing to do (already applied)"
fi
