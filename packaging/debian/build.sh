#!/bin/sh
# Builds Rowan's Debian package around a jar that was already built, and adds it to a signed apt
# repository tree. `mvn package` runs it on machines that have dpkg-deb (the debian-package profile):
#
#   packaging/debian/build.sh VERSION JAR OUT
#
# leaves
#   OUT/rowan_VERSION_all.deb
#   OUT/repo/                         the repository: pool/, dists/stable/ (Packages, Release, InRelease,
#                                     Release.gpg) and rowan-archive-keyring.gpg, the key apt checks it with
#   OUT/gnupg/                        the signing key (no passphrase), made on first use: a TEST key, for
#                                     this build's repository only; it is never part of the sources
#
# Packages already in OUT/repo/pool stay: running it again with a later VERSION adds that version,
# as publishing an update would. The files it packages are the ones beside it, so a copy of this
# directory with another changelog builds another package.
set -eu

fail() {
    echo "build.sh: $*" >&2
    exit 1
}

[ $# -eq 3 ] || fail "usage: build.sh VERSION JAR OUT"
version=$1
jar=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)
java_launcher=$here/../java/bin/rowan

# Without the tools the package is skipped, not the build: `mvn package` must work for anyone who
# only wants the jar. DebianPackageIT then fails, saying the package is missing (CI installs them).
for tool in dpkg-deb apt-ftparchive gpg gzip; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build.sh: the Debian package is not built: $tool is missing (apt-get install dpkg apt-utils gpg gzip)" >&2
        exit 0
    fi
done
[ -f "$jar" ] || fail "$jar does not exist: build the jar first"

# A native package's version: digits first, no hyphen (a hyphen would start a Debian revision).
case $version in
    [0-9]*) ;;
    *) fail "version $version does not start with a digit, as a Debian version must" ;;
esac
case $version in
    *[!0-9A-Za-z.+~]*) fail "version $version holds characters a native Debian version cannot (only letters, digits and . + ~)" ;;
esac
# The changelog's newest entry names the version being built: releasing a version means writing it.
changelog_version=$(sed -n '1s/^rowan (\([^)]*\)) .*/\1/p' "$here/changelog")
[ "$changelog_version" = "$version" ] ||
    fail "the newest entry of $here/changelog is for version '$changelog_version', not $version: add an entry for $version at its top"

# Every file in the package gets the date of that entry, so the same jar always gives the same package.
changelog_date=$(date -d "$(sed -n 's/^ -- .*>  //p' "$here/changelog" | head -n 1)" +%s)

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$out/stage/rowan_$version
rm -rf "$stage"
mkdir -p "$stage/DEBIAN"

# Files: the launcher of the Java channel, unchanged (it finds ../lib/rowan.jar through the /usr/bin
# link), the jar, the unit, the settings file's default, documentation.
install -D -m 0755 "$java_launcher" "$stage/usr/share/rowan/bin/rowan"
install -D -m 0644 "$jar" "$stage/usr/share/rowan/lib/rowan.jar"
install -D -m 0644 "$here/rowan.conf" "$stage/usr/share/rowan/rowan.conf"
install -d -m 0755 "$stage/usr/bin"
ln -s ../share/rowan/bin/rowan "$stage/usr/bin/rowan"
install -D -m 0644 "$here/rowan.service" "$stage/lib/systemd/system/rowan.service"
install -D -m 0644 "$here/copyright" "$stage/usr/share/doc/rowan/copyright"
install -d -m 0755 "$stage/usr/share/man/man1"
gzip -9n <"$here/changelog" >"$stage/usr/share/doc/rowan/changelog.gz"
gzip -9n <"$here/rowan.1" >"$stage/usr/share/man/man1/rowan.1.gz"
chmod 0644 "$stage/usr/share/doc/rowan/changelog.gz" "$stage/usr/share/man/man1/rowan.1.gz"

# Control files
installed_size=$(du -sk --apparent-size --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_size/" "$here/control" >"$stage/DEBIAN/control"
for script in postinst prerm postrm; do
    install -m 0755 "$here/$script" "$stage/DEBIAN/$script"
done
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort | xargs md5sum) >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"
find "$stage" -exec touch -h -d "@$changelog_date" {} +

deb=$out/rowan_${version}_all.deb
# The jar is compressed already: xz would spend seconds to win almost nothing, gzip is quick.
SOURCE_DATE_EPOCH=$changelog_date dpkg-deb --root-owner-group -Zgzip --build "$stage" "$deb" >/dev/null

# The repository: every package in pool/, indexed and signed.
repo=$out/repo
pool=$repo/pool/main/r/rowan
dist=$repo/dists/stable
mkdir -p "$pool" "$dist/main/binary-all"
cp "$deb" "$pool/"
rm -f "$dist/Release" "$dist/InRelease" "$dist/Release.gpg"
(cd "$repo" && apt-ftparchive packages pool) >"$dist/main/binary-all/Packages"
gzip -9n <"$dist/main/binary-all/Packages" >"$dist/main/binary-all/Packages.gz"
# Architecture all only: apt on any machine reads binary-all when Release lists it.
apt-ftparchive \
    -o APT::FTPArchive::Release::Origin=Rowan \
    -o APT::FTPArchive::Release::Label=Rowan \
    -o APT::FTPArchive::Release::Suite=stable \
    -o APT::FTPArchive::Release::Codename=stable \
    -o APT::FTPArchive::Release::Architectures=all \
    -o APT::FTPArchive::Release::Components=main \
    -o "APT::FTPArchive::Release::Description=Rowan packages" \
    release "$dist" >"$out/Release"
mv "$out/Release" "$dist/Release"

GNUPGHOME=$out/gnupg
export GNUPGHOME
# gpg starts an agent for the key: stop it when done, whatever happens, so that no process outlives the build.
trap 'gpgconf --kill gpg-agent' EXIT
if [ ! -d "$GNUPGHOME" ]; then
    mkdir -m 0700 "$GNUPGHOME"
    gpg --batch --quiet --passphrase '' --quick-gen-key \
        "Rowan test archive key (made by this build, for testing only)" ed25519 sign never
fi
gpg --batch --quiet --yes --export --output "$repo/rowan-archive-keyring.gpg"
gpg --batch --quiet --yes --clearsign --output "$dist/InRelease" "$dist/Release"
gpg --batch --quiet --yes --armor --detach-sign --output "$dist/Release.gpg" "$dist/Release"

echo "Built $deb and the apt repository $repo"
