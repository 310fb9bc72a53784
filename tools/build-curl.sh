#!/usr/bin/env bash
# Builds the minimal static libcurl that roxi links, from Debian's own curl source package.
#
# Usage: tools/build-curl.sh <build-dir>
#
# Debian's libcurl.a cannot be linked into a -static binary: it was built against GSS-API, LDAP,
# RTMP, SSH, libpsl and libidn2, none of which ship static archives. So we build the same source
# (Debian's orig tarball plus Debian's patches, security fixes included) with everything but
# HTTP/HTTPS turned off:
#   - TLS: OpenSSL (libssl.a, libcrypto.a from libssl-dev);
#   - DNS: c-ares (libcares.a), so name resolution needs no glibc NSS modules at run time;
#   - zlib for Content-Encoding, nghttp2 (libnghttp2.a) for HTTP/2 over TLS.
# The result is installed into <build-dir>/third_party/curl/install (include/, lib/libcurl.a).
#
# Idempotent: when install/lib/libcurl.a exists and install/.roxi-stamp holds the hash of this
# script (which carries the whole configuration), nothing is done. Any change to this script
# rebuilds from scratch. Needs the packages and the deb-src entry that tools/install-deps.sh sets up.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 <build-dir>" >&2
  exit 2
fi

# The default CA bundle, compiled into libcurl. Keep in sync with kDefaultCaBundle in
# src/embedders/ca_bundle.h, which is what roxi passes when no bundle is configured.
readonly kCaBundle=/etc/ssl/certs/ca-certificates.crt
readonly kCaPath=/etc/ssl/certs

mkdir -p "$1/third_party/curl"
root=$(cd "$1/third_party/curl" && pwd)
install_dir=$root/install
stamp=$install_dir/.roxi-stamp
log=$root/build.log
config_hash=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)

is_current() {
  [ -f "$install_dir/lib/libcurl.a" ] && [ -f "$stamp" ] &&
    [ "$(head -n1 "$stamp")" = "$config_hash" ]
}

if is_current; then exit 0; fi

# Two configures of the same build directory must not build into each other.
exec 9>"$root/.lock"
flock 9
if is_current; then exit 0; fi

for tool in apt-get dpkg-source autoreconf automake libtoolize make patch; do
  if ! command -v "$tool" >/dev/null; then
    echo "build-curl: '$tool' not found; run tools/install-deps.sh" >&2
    exit 1
  fi
done

fail() {
  echo "build-curl: $1 (last lines of $log follow)" >&2
  tail -n 30 "$log" >&2 || true
  exit 1
}

started=$(date +%s)
rm -rf "$root/download" "$root/src" "$root/build" "$install_dir"
mkdir -p "$root/download" "$root/build"
: >"$log"

# Source: the newest curl in the configured Debian suites (bookworm-security fixes included).
cd "$root/download"
if ! apt-get source --download-only curl >>"$log" 2>&1; then
  fail "'apt-get source curl' failed; is a deb-src entry configured? (tools/install-deps.sh adds one)"
fi
dsc=$(ls ./curl_*.dsc)
debian_version=$(sed -n 's/^Version: //p' "$dsc")
echo "build-curl: building static libcurl from Debian curl $debian_version (log: $log)"

# dpkg-source checks the checksums in the .dsc and applies debian/patches/series.
dpkg-source -x "$dsc" "$root/src" >>"$log" 2>&1 || fail "unpacking $dsc failed"
# Like debian/rules does for its OpenSSL flavour: drop the last two patches, which only rename the
# library to libcurl-gnutls / libcurl-nss for Debian's other TLS flavours.
cd "$root/src"
for p in 99_nss 90_gnutls; do
  if grep -qx "$p.patch" debian/patches/series; then
    patch -R -p1 -s <"debian/patches/$p.patch" >>"$log" 2>&1 || fail "reverting $p.patch failed"
  fi
done
grep -qx 'lib_LTLIBRARIES = libcurl.la' lib/Makefile.am ||
  fail "lib/Makefile.am does not build libcurl.la; the Debian patch layout changed"
# Debian's patches touch configure.ac, so the build system is regenerated (debian/rules does too).
autoreconf -fi >>"$log" 2>&1 || fail "autoreconf failed"

# Debian's hardening flags, as the packaged libcurl gets them.
cflags=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS)
cppflags=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CPPFLAGS)

configure_args=(
  --prefix="$install_dir"
  --disable-shared --enable-static --with-pic
  --disable-dependency-tracking --disable-silent-rules
  # What roxi needs: HTTP and HTTPS through OpenSSL, DNS through c-ares, gzip, HTTP/2.
  --enable-http --with-openssl --enable-ares --with-zlib --with-nghttp2
  --enable-proxy
  --with-ca-bundle="$kCaBundle" --with-ca-path="$kCaPath" --without-ca-fallback
  # Every other protocol.
  --disable-ftp --disable-file --disable-ldap --disable-ldaps --disable-rtsp --disable-dict
  --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smb --disable-smtp
  --disable-gopher --disable-mqtt --disable-websockets
  # Libraries that have no static archive on Debian, or that roxi does not need.
  --without-brotli --without-zstd --without-libpsl --without-libidn2 --without-libssh
  --without-libssh2 --without-wolfssh --without-librtmp --without-gssapi --without-libgsasl
  --without-hyper --without-ngtcp2 --without-nghttp3 --without-quiche --without-msh3
  # Features that read files or run helpers behind roxi's back, and the curl tool's extras.
  --disable-ntlm-wb --disable-netrc --disable-alt-svc --disable-manual --disable-libcurl-option
  --without-zsh-functions-dir --without-fish-functions-dir
)

cd "$root/build"
unset MAKEFLAGS MFLAGS MAKELEVEL
CFLAGS="$cflags" CPPFLAGS="$cppflags" "$root/src/configure" "${configure_args[@]}" >>"$log" 2>&1 ||
  fail "configure failed"
grep -q '^  Protocols: *HTTP HTTPS$' "$log" || fail "configure enabled protocols other than HTTP HTTPS"
grep -q '^  resolver: *c-ares$' "$log" || fail "configure did not select the c-ares resolver"

# Only the library and its headers; the curl command-line tool is not needed.
make -C lib -j2 >>"$log" 2>&1 || fail "make failed"
make -C lib install >>"$log" 2>&1 || fail "make install (lib) failed"
make -C include install >>"$log" 2>&1 || fail "make install (include) failed"
rm -f "$install_dir/lib/libcurl.la"

# Written last: a build interrupted before this line is redone next time.
printf '%s\ncurl %s\n' "$config_hash" "$debian_version" >"$stamp"
echo "build-curl: done in $(($(date +%s) - started))s: $install_dir/lib/libcurl.a"
