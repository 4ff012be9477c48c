#!/bin/sh
# Install PaidUp for you alone (no administrator needed) from this unpacked folder:
# the program, its entry in the application menu, its icons and the commands
# `paidup` and `paidup-cli` in ~/.local/bin.
#
#   ./install.sh               install, or upgrade an earlier install
#   ./install.sh --uninstall   remove the program; your books and backups stay where they are
#
# The program goes to ~/.local/opt/PaidUp (PAIDUP_INSTALL_DIR to choose another folder).
# Your books are not in it: they are in ~/.local/share/PaidUp and are never touched here.
set -eu

app_id=app.paidup.PaidUp
here=$(cd "$(dirname "$0")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
target=${PAIDUP_INSTALL_DIR:-$HOME/.local/opt/PaidUp}
bin_dir=$HOME/.local/bin
menu_dir=$data_home/applications
icon_dir=$data_home/icons/hicolor

refresh_menus() {
    # Desktops read the menu and icon caches; both tools are optional.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$menu_dir" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icon_dir/index.theme" ]; then
        gtk-update-icon-cache -q -t -f "$icon_dir" 2>/dev/null || true
    fi
}

uninstall() {
    rm -rf "$target"
    for program in paidup paidup-cli; do
        link="$bin_dir/$program"
        if [ -L "$link" ] && [ "$(readlink "$link")" = "$target/$program" ]; then
            rm -f "$link"
        fi
    done
    rm -f "$menu_dir/$app_id.desktop"
    find "$icon_dir" -name "$app_id.png" -delete 2>/dev/null || true
    find "$icon_dir" -name "$app_id.svg" -delete 2>/dev/null || true
    refresh_menus
    echo "PaidUp is uninstalled. Your books and backups are still in $data_home/PaidUp;"
    echo "delete that folder yourself if you no longer need them."
}

install() {
    if [ ! -x "$here/PaidUp/paidup" ]; then
        echo "install.sh: run me from the unpacked PaidUp folder (PaidUp/paidup not found)" >&2
        exit 1
    fi
    case "$target" in
        *[\"\`\$\\]*)
            echo "install.sh: choose a folder without \" \` \$ or \\ in its name" >&2
            exit 1 ;;
    esac

    # Copy beside the old version, then swap: a failed copy leaves the old one working.
    mkdir -p "$(dirname "$target")"
    rm -rf "$target.new" "$target.old"
    cp -R "$here/PaidUp" "$target.new"
    if [ -e "$target" ]; then
        mv "$target" "$target.old"
    fi
    mv "$target.new" "$target"
    rm -rf "$target.old"

    mkdir -p "$bin_dir"
    ln -sf "$target/paidup" "$bin_dir/paidup"
    ln -sf "$target/paidup-cli" "$bin_dir/paidup-cli"

    mkdir -p "$icon_dir"
    cp -R "$here/share/icons/hicolor/." "$icon_dir/"

    # The menu entry starts this copy by its full path (quoted: it may contain spaces).
    mkdir -p "$menu_dir"
    program=$(printf '%s' "$target/paidup" | sed 's/[&|]/\\&/g')  # literal in sed's s|||
    exec_value=$(printf '%s' "$program" | sed 's/%/%%/g')  # Exec= reads % as a field code
    sed -e "s|^Exec=.*|Exec=\"$exec_value\"|" -e "s|^TryExec=.*|TryExec=$program|" \
        "$here/share/applications/$app_id.desktop" >"$menu_dir/$app_id.desktop.tmp"
    mv "$menu_dir/$app_id.desktop.tmp" "$menu_dir/$app_id.desktop"
    refresh_menus

    echo "PaidUp is installed in $target."
    echo "Start it from your application menu, or run: $bin_dir/paidup"
}

case "${1:-}" in
    "") install ;;
    --uninstall) uninstall ;;
    *) echo "usage: $0 [--uninstall]" >&2; exit 2 ;;
esac
