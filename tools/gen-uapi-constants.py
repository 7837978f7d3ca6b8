#!/usr/bin/env python3
"""Generates Java constant classes from this machine's kernel uapi headers.

The values come from the C compiler, not from reading numbers by eye: every
name is printed by a small C program that includes the header. Run from the
repo root:  python3 tools/gen-uapi-constants.py
"""
import os, re, subprocess, sys, tempfile

# (java package dir, class, header, [name prefixes], javadoc)
GROUPS = [
    ("internal/uapi", "RtNetlink", "linux/rtnetlink.h", ["RTM_", "RTN_", "RTPROT_", "RT_SCOPE_", "RT_TABLE_", "RTM_F_", "RTNH_F_", "RTNLGRP_", "RTEXT_FILTER_", "RTA_"],
     "Message types and rtmsg/route constants of {@code <linux/rtnetlink.h>}."),
    ("internal/uapi", "Ifla", "linux/if_link.h", ["IFLA_"],
     "Link attributes of {@code <linux/if_link.h>}: IFLA_*, IFLA_INFO_*, IFLA_VXLAN_*, IFLA_BR_*, IFLA_BRPORT_*, IFLA_MACVLAN_*, IFLA_VLAN_* and the rest."),
    ("internal/uapi", "IfLink", "linux/if_link.h linux/if.h linux/veth.h", ["VETH_INFO_", "MACVLAN_MODE_", "MACVLAN_FLAG_", "IN6_ADDR_GEN_MODE_", "BRIDGE_MODE_", "LINK_XSTATS_", "PORT_", "IFF_", "VXLAN_VNIFILTER_", "VXLAN_VNI_STATS_", "TUNNEL_MSG_", "VXLAN_DF_", "VXLAN_LABEL_"],
     "Other constants of {@code <linux/if_link.h>} and {@code <linux/if.h>} (veth, macvlan modes, interface flags)."),
    ("internal/uapi", "Ifa", "linux/if_addr.h", ["IFA_"],
     "Address attributes and flags of {@code <linux/if_addr.h>}."),
    ("internal/uapi", "Nda", "linux/neighbour.h", ["NDA_", "NUD_", "NTF_", "NDTA_", "NDTPA_", "NFEA_"],
     "Neighbour attributes, states and flags of {@code <linux/neighbour.h>}."),
    ("internal/uapi", "IfBridge", "linux/if_bridge.h", ["BRIDGE_", "MDBA_", "BR_", "IFLA_BRIDGE_"],
     "Bridge constants of {@code <linux/if_bridge.h>}."),
    ("route", "NetNsa", "linux/net_namespace.h", ["NETNSA_"],
     "Network namespace id attributes of {@code <linux/net_namespace.h>} (RTM_NEWNSID / RTM_GETNSID)."),
    ("internal/uapi", "NfTablesUapi", "linux/netfilter/nf_tables.h", ["NFT_", "NFTA_", "NFT_MSG_"],
     "Message types, attributes and enums of {@code <linux/netfilter/nf_tables.h>}."),
    ("internal/uapi", "NfNetlink", "linux/netfilter/nfnetlink.h", ["NFNL_", "NFNLGRP_", "NFNETLINK_"],
     "Constants of {@code <linux/netfilter/nfnetlink.h>}."),
    ("internal/uapi", "NfNat", "linux/netfilter/nf_nat.h", ["NF_NAT_"],
     "NAT range flags of {@code <linux/netfilter/nf_nat.h>}."),
    ("internal/uapi", "Netfilter", "linux/netfilter.h", ["NF_INET_", "NFPROTO_", "NF_DROP", "NF_ACCEPT", "NF_STOLEN", "NF_QUEUE", "NF_REPEAT", "NF_STOP"],
     "Hooks, protocol families and verdicts of {@code <linux/netfilter.h>}."),
]

# Constants the running kernel (6.18) defines but this machine's headers
# (linux-libc-dev 6.1) do not. Taken by hand from the kernel's
# include/uapi/linux/if_link.h (torvalds/linux, v6.18) and cross-checked on the
# running kernel: a vxlan dump carries 31..33, and 34 is range-checked
# (value 2 gets ERANGE) while 35 is ignored. Written after the compiler's
# values, each with the kernel version that added it.
KERNEL_NEWER = {
    "Ifla": [
        ("IFLA_VXLAN_LOCALBYPASS", 31, "v6.5 (nolocalbypass)"),
        ("IFLA_VXLAN_LABEL_POLICY", 32, "v6.10 (enum ifla_vxlan_label_policy, u32)"),
        ("IFLA_VXLAN_RESERVED_BITS", 33, "v6.14 (struct vxlanhdr, 8 bytes)"),
        ("IFLA_VXLAN_MC_ROUTE", 34, "v6.16 (u8; accepted but not reported in dumps)"),
    ],
    "IfLink": [
        ("VXLAN_LABEL_FIXED", 0, "v6.10"),
        ("VXLAN_LABEL_INHERIT", 1, "v6.10"),
    ],
}

def names(header, prefixes):
    text = "\n".join(open("/usr/include/" + h).read() for h in header.split())
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    found = []
    for m in re.finditer(r"^\s*#\s*define\s+([A-Z_][A-Z0-9_]*)\s+\S", text, re.M):
        found.append(m.group(1))
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\}", text, re.S):
        for m in re.finditer(r"([A-Z_][A-Z0-9_]*)\s*(=[^,]*)?,?", body):
            found.append(m.group(1))
    out, seen = [], set()
    for n in found:
        if n in seen or not any(n.startswith(p) for p in prefixes):
            continue
        if n.startswith("__") or n.endswith("_MAX") and n.startswith("__"):
            continue
        seen.add(n)
        out.append(n)
    return out

def values(header, ns):
    good = {}
    with tempfile.TemporaryDirectory() as d:
        # Compile each name alone first would be slow; try all, drop failures iteratively.
        cand = list(ns)
        for _ in range(50):
            src = os.path.join(d, "p.c")
            with open(src, "w") as f:
                f.write("#include <stdio.h>\n#include <sys/socket.h>\n#include <netinet/in.h>\n#include <linux/netlink.h>\n" + "".join("#include <%s>\n" % h for h in header.split()) + "int main(void){\n")
                for n in cand:
                    f.write('printf("%%s=%%lld\\n", "%s", (long long)(%s));\n' % (n, n))
                f.write("return 0;}\n")
            r = subprocess.run(["cc", "-o", os.path.join(d, "p"), src], capture_output=True, text=True)
            if r.returncode == 0:
                break
            bad = set(re.findall(r"'([A-Z_][A-Z0-9_]*)' undeclared", r.stderr))
            bad |= set(re.findall(r"‘([A-Z_][A-Z0-9_]*)’ undeclared", r.stderr))
            lines = set(int(x) for x in re.findall(r"p\.c:(\d+):", r.stderr))
            if not bad and not lines:
                sys.exit(r.stderr)
            src_lines = open(src).read().split("\n")
            for ln in lines:
                m = re.search(r'"([A-Z_0-9]+)"', src_lines[ln - 1])
                if m:
                    bad.add(m.group(1))
            cand = [n for n in cand if n not in bad]
        out = subprocess.run([os.path.join(d, "p")], capture_output=True, text=True).stdout
        for line in out.splitlines():
            k, v = line.split("=")
            good[k] = int(v)
    return [(n, good[n]) for n in ns if n in good]

def main():
    root = os.path.join("netlink", "src", "main", "java", "dev", "overlaynet", "netlink")
    for pkg, cls, header, prefixes, doc in GROUPS:
        vals = values(header, names(header, prefixes))
        path = os.path.join(root, pkg, cls + ".java")
        with open(path, "w") as f:
            f.write("package dev.overlaynet.netlink.%s;\n\n" % pkg.replace("/", "."))
            f.write("/**\n * %s\n *\n * <p>Generated by {@code tools/gen-uapi-constants.py} from this machine's\n" % doc)
            f.write(" * uapi headers; values come from the C compiler. Names are the kernel's, so\n")
            f.write(" * {@code grep -r NAME /usr/include/%s} finds them.\n *\n" % header)
            first = vals[0][0] if vals else cls
            f.write(" * <pre>{@code\n * int v = %s.%s;\n * }</pre>\n */\n" % (cls, first))
            f.write("@SuppressWarnings(\"unused\")\npublic final class %s {\n    private %s() {}\n\n" % (cls, cls))
            for n, v in vals:
                if -2**31 <= v < 2**32:
                    jv = v if v < 2**31 else v - 2**32
                    f.write("    public static final int %s = %d;\n" % (n, jv))
                else:
                    f.write("    public static final long %s = %dL;\n" % (n, v))
            newer = KERNEL_NEWER.get(cls, [])
            if newer:
                f.write("\n    // Newer than this machine's headers: from the running kernel's uapi (see\n")
                f.write("    // KERNEL_NEWER in tools/gen-uapi-constants.py), not from the C compiler.\n")
                for n, v, since in newer:
                    f.write("    /** Kernel %s; not in this machine's headers. */\n" % since)
                    f.write("    public static final int %s = %d;\n" % (n, v))
            f.write("}\n")
        print(path, len(vals))

main()
