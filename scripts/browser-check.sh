#!/usr/bin/env bash
# `python -m jupyterlab.browser_check` against Debian's Chromium.
# browser_check installs Playwright into <app_dir>/browser_test and runs `playwright install
# chromium`, a download that cannot work here. So we hand it the project's Playwright and a
# browsers directory in which Debian's Chromium stands in for the Chromium builds Playwright
# expects (marked installed), and it launches that.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
chromium=${CHROMIUM:-/usr/lib/chromium/chromium}
[ -x "$chromium" ] || { echo "browser-check: $chromium not found (apt-get install chromium)" >&2; exit 1; }

export PLAYWRIGHT_BROWSERS_PATH=$root/.cache/ms-playwright
revision_of() { node -p "JSON.parse(require('fs').readFileSync('node_modules/playwright-core/browsers.json', 'utf8')).browsers.find(b => b.name === '$1').revision"; }
revision=$(revision_of chromium)
for pair in "chromium-$revision/chrome-linux64/chrome" \
            "chromium_headless_shell-$revision/chrome-headless-shell-linux64/chrome-headless-shell"; do
  dir=$PLAYWRIGHT_BROWSERS_PATH/${pair%%/*}
  mkdir -p "$(dirname "$PLAYWRIGHT_BROWSERS_PATH/$pair")"
  ln -sf "$chromium" "$PLAYWRIGHT_BROWSERS_PATH/$pair"
  touch "$dir/INSTALLATION_COMPLETE" "$dir/DEPENDENCIES_VALIDATED"
done
# `playwright install chromium` also fetches ffmpeg, which only records videos: mark it present.
ffmpeg=$(revision_of ffmpeg)
mkdir -p "$PLAYWRIGHT_BROWSERS_PATH/ffmpeg-$ffmpeg" && touch "$PLAYWRIGHT_BROWSERS_PATH/ffmpeg-$ffmpeg/INSTALLATION_COMPLETE"

app_dir=$(.venv/bin/jupyter lab path | awk -F': *' '/Application directory/ {print $2}')
target=$app_dir/browser_test
mkdir -p "$target"
[ -e "$target/node_modules" ] || ln -s "$root/node_modules" "$target/node_modules"
[ -f "$target/package.json" ] || echo '{"name": "browser_test", "private": true}' > "$target/package.json"

export JLAB_BROWSER_CHECK_OUTPUT=$root/build/browser-check
# Root (CI containers) must say so explicitly to Jupyter.
exec .venv/bin/python -m jupyterlab.browser_check $( [ "$(id -u)" = 0 ] && echo --allow-root )
