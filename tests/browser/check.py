#!/usr/bin/env python3
"""The web page in a real browser: Debian's Chromium, headless, drawing WebGL2 with SwiftShader, driven by
ChromeDriver over the WebDriver protocol (no Python packages beyond the standard library).

    tests/browser/check.py SITE_FOLDER [--shots DIR]

Serves SITE_FOLDER on a free port of 127.0.0.1, opens the page as a visitor would (the program's own pacing,
nothing forced), takes screenshots and checks their pixels as the native window tests do: the orange tangent,
the blue curve and the panel; that a finger drags the ball; that an address with other settings changes the
picture; that a bad value is
said in one line while the page still runs; that ?scene=gradient shows the height map; that a click on Play
moves the ball; that keys work once the canvas has the focus; that "Copy link" writes the settings into the
address; that a typed formula becomes the curve; that the canvas follows the window's size; that the exhibit
starts and asks for fullscreen at the first touch; that a browser without WebGL2 gets a sentence; and that the
browser's console has no errors. Exits 1 naming the first
check that failed. Prints the first-frame times it measured.
"""

import base64
import functools
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

WIDTH, HEIGHT = 1280, 720
# The program's own colours (src/theme/palette.rs).
BACKGROUND = (16, 19, 26)
BALL = (240, 62, 110)


def fail(message):
    print(f"browser test: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder):
    port = free_port()
    handler = functools.partial(QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}/"


class Browser:
    """One Chromium session through ChromeDriver."""

    def __init__(self, profile, extra_args=()):
        self.port = free_port()
        self.driver = subprocess.Popen(
            ["chromedriver", f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 20
        while True:
            try:
                self.call("GET", "/status")
                break
            except OSError:
                if time.time() > deadline:
                    fail("chromedriver did not start")
                time.sleep(0.1)
        args = [
            "--headless=new",
            "--no-sandbox",
            "--use-angle=swiftshader",
            "--enable-unsafe-swiftshader",
            "--ignore-gpu-blocklist",
            f"--window-size={WIDTH},{HEIGHT}",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--disable-features=Translate,MediaRouter",
            f"--user-data-dir={profile}",
            *extra_args,
        ]
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {"binary": shutil.which("chromium"), "args": args},
                    "goog:loggingPrefs": {"browser": "ALL"},
                }
            }
        }
        answer = self.call("POST", "/session", caps)
        self.session = answer["value"]["sessionId"]

    def call(self, method, path, body=None, timeout=120):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            raise RuntimeError(f"WebDriver {method} {path}: {error.code} {detail[:400]}") from None

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})["value"]

    def screenshot(self, path):
        png = base64.b64decode(self.s("GET", "/screenshot")["value"])
        with open(path, "wb") as f:
            f.write(png)
        return Picture(path)

    def click(self, x, y):
        self.s(
            "POST",
            "/actions",
            {
                "actions": [
                    {
                        "type": "pointer",
                        "id": "mouse",
                        "parameters": {"pointerType": "mouse"},
                        # As a hand does it: there, a moment (a frame or two of a slow software
                        # renderer) for the hover, then press and release.
                        "actions": [
                            {"type": "pointerMove", "x": int(x), "y": int(y), "duration": 0},
                            {"type": "pause", "duration": 400},
                            {"type": "pointerDown", "button": 0},
                            {"type": "pause", "duration": 250},
                            {"type": "pointerUp", "button": 0},
                        ],
                    }
                ]
            },
        )
        self.s("DELETE", "/actions")

    def drag(self, start, end, pointer="touch", steps=20):
        """Presses at `start`, moves to `end` in `steps` moves over about two seconds, and lets go: slow
        enough for a software renderer's frames (200 to 500 ms each here) to see it as a drag."""
        moves = [
            {
                "type": "pointerMove",
                "x": int(start[0] + (end[0] - start[0]) * k / steps),
                "y": int(start[1] + (end[1] - start[1]) * k / steps),
                "duration": 100,
            }
            for k in range(1, steps + 1)
        ]
        self.s(
            "POST",
            "/actions",
            {
                "actions": [
                    {
                        "type": "pointer",
                        "id": "finger",
                        "parameters": {"pointerType": pointer},
                        "actions": [
                            {"type": "pointerMove", "x": int(start[0]), "y": int(start[1]), "duration": 0},
                            {"type": "pause", "duration": 400},
                            {"type": "pointerDown", "button": 0},
                            {"type": "pause", "duration": 400},
                            *moves,
                            {"type": "pause", "duration": 400},
                            {"type": "pointerUp", "button": 0},
                        ],
                    }
                ]
            },
        )
        self.s("DELETE", "/actions")

    def key(self, key):
        self.s(
            "POST",
            "/actions",
            {
                "actions": [
                    {
                        "type": "key",
                        "id": "keyboard",
                        "actions": [
                            {"type": "keyDown", "value": key},
                            {"type": "pause", "duration": 80},
                            {"type": "keyUp", "value": key},
                        ],
                    }
                ]
            },
        )
        self.s("DELETE", "/actions")

    def type(self, text):
        """Types `text` key by key (WebDriver's special keys, such as Enter, allowed)."""
        keys = []
        for key in text:
            keys += [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
        self.s("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": keys}]})
        self.s("DELETE", "/actions")

    def console(self):
        """The console's entries since the last call."""
        return self.s("POST", "/se/log", {"type": "browser"})["value"]

    def close(self):
        try:
            self.s("DELETE", "")
        finally:
            self.driver.terminate()
            self.driver.wait(10)


class Picture:
    """A screenshot's pixels, read with ImageMagick."""

    def __init__(self, path):
        self.path = path
        size = subprocess.run(
            ["identify", "-format", "%w %h", path], check=True, capture_output=True, text=True
        ).stdout.split()
        self.width, self.height = int(size[0]), int(size[1])
        self.rgb = subprocess.run(
            ["convert", path, "-depth", "8", "rgb:-"], check=True, capture_output=True
        ).stdout

    def at(self, x, y):
        i = (int(y) * self.width + int(x)) * 3
        return tuple(self.rgb[i : i + 3])

    def count(self, test, x0, y0, x1, y1, step=2):
        return sum(
            1 for y in range(y0, y1, step) for x in range(x0, x1, step) if test(self.at(x, y))
        )

    def where(self, test, x0, y0, x1, y1, step=2):
        return [(x, y) for y in range(y0, y1, step) for x in range(x0, x1, step) if test(self.at(x, y))]


def close_to(a, b, tolerance):
    return all(abs(p - q) <= tolerance for p, q in zip(a, b))


def is_orange(c):
    return c[0] > 180 and 90 <= c[1] <= 200 and c[2] < 110


def is_curve_blue(c):
    return c[2] > 170 and c[1] > 110 and c[0] < c[2] - 80


def is_rising_magenta(c):
    return c[0] > 170 and c[2] > 150 and c[1] < c[0] - 50


def is_falling_cyan(c):
    return c[2] > 170 and c[1] > 150 and c[0] < c[1] - 70


def is_ball(c):
    return close_to(c, BALL, 40)


def words(picture):
    """The words tesseract reads in a screenshot, with their boxes: [(text, x, y, w, h)]."""
    tsv = subprocess.run(
        ["tesseract", picture.path, "-", "--psm", "11", "tsv"], check=True, capture_output=True, text=True
    ).stdout
    found = []
    for line in tsv.splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) == 12 and cells[11].strip():
            found.append((cells[11].strip(), int(cells[6]), int(cells[7]), int(cells[8]), int(cells[9])))
    return found


def find_word(picture, wanted, right_of=0):
    # A button's symbol is sometimes read as part of its word ("»Play", "(Copy"): it is left off.
    for text, x, y, w, h in words(picture):
        if re.sub(r"^[^A-Za-z0-9]+", "", text.strip(".,:;")) == wanted and x >= right_of:
            return x + w / 2, y + h / 2
    return None


class Page:
    """What one address shows."""

    def __init__(self, browser, base, query, shots, name):
        self.browser = browser
        self.shots = shots
        self.name = name
        browser.go(base + query)
        deadline = time.time() + 90
        while True:
            state = browser.js(
                "return [document.body.dataset.started || null, document.body.dataset.firstFrameMs || null,"
                " document.getElementById('notice').hidden, document.getElementById('message').textContent,"
                " document.getElementById('loading').hidden]"
            )
            if state[0]:
                break
            # The page's own failures (no WebGL2, a failed start) take the loading message away; a notice
            # about a setting in the address comes before the first frame and is not one.
            if not state[2] and state[4]:
                fail(f"{name}: the page says '{state[3]}' before its first frame")
            if time.time() > deadline:
                fail(f"{name}: no first frame within 90 s (still loading: {not state[4]})")
            time.sleep(0.1)
        self.first_frame_ms = float(state[1])
        self.notice = None if state[2] else state[3]
        if not state[4]:
            fail(f"{name}: the loading message is still shown after the first frame")

    def shot(self, suffix=""):
        return self.browser.screenshot(os.path.join(self.shots, f"{self.name}{suffix}.png"))


def panel_left(picture):
    """The panel's left edge: the first column from the right, at mid-height, back to the background."""
    y = HEIGHT // 2
    x = picture.width - 1
    run = 0
    while x > picture.width // 2:
        run = run + 1 if close_to(picture.at(x, y), BACKGROUND, 4) and close_to(picture.at(x, y + 40), BACKGROUND, 4) else 0
        if run > 12:
            return x + run
        x -= 1
    return picture.width - 420


def check_scene_one(picture, name):
    plot_right = panel_left(picture)
    orange = picture.count(is_orange, 0, 0, plot_right, HEIGHT)
    blue = picture.count(is_curve_blue, 0, 0, plot_right, HEIGHT)
    ball = picture.count(is_ball, 0, 0, plot_right, HEIGHT)
    if orange < 60:
        fail(f"{name}: hardly any orange tangent in the plot ({orange} samples)")
    if blue < 150:
        fail(f"{name}: hardly any blue curve in the plot ({blue} samples)")
    if ball < 10:
        fail(f"{name}: no ball in the plot ({ball} samples)")
    bright = picture.count(lambda c: min(c) > 150, plot_right + 4, 10, picture.width - 4, HEIGHT - 10, 4)
    background = picture.count(lambda c: close_to(c, BACKGROUND, 3), plot_right + 4, 10, picture.width - 4, HEIGHT - 10, 4)
    total = len(range(10, HEIGHT - 10, 4)) * len(range(plot_right + 4, picture.width - 4, 4))
    if plot_right > picture.width - 200:
        fail(f"{name}: no panel on the right (its edge seems to be at x = {plot_right})")
    if bright < 40:
        fail(f"{name}: the panel shows almost no text ({bright} bright samples)")
    if background * 4 > total:
        fail(f"{name}: the panel looks like the empty scene background")
    return plot_right


def ball_centre(picture, plot_right):
    points = picture.where(is_ball, 0, 0, plot_right, HEIGHT, 1)
    if len(points) < 20:
        fail(f"{picture.path}: the ball cannot be found ({len(points)} pixels)")
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def height_map_colours(picture, x1):
    colours = set()
    for i in range(24):
        for j in range(24):
            c = picture.at(x1 * (i + 0.5) / 24, HEIGHT * 0.55 * (j + 0.5) / 24)
            colours.add((c[0] // 16, c[1] // 16, c[2] // 16))
    return len(colours)


def differing(a, b, x1):
    changed = 0
    total = 0
    for y in range(0, HEIGHT, 3):
        for x in range(0, x1, 3):
            total += 1
            if not close_to(a.at(x, y), b.at(x, y), 24):
                changed += 1
    return changed / total


def address_after(browser, before, seconds=8.0):
    """The query string once it is no longer `before` (a click takes a frame or two to act), or as it is."""
    deadline = time.time() + seconds
    while True:
        search = browser.js("return location.search")
        if search != before or time.time() > deadline:
            return search
        time.sleep(0.2)


def frame_intervals(browser, seconds):
    """The times between the page's animation frames over `seconds`, sorted, in milliseconds."""
    script = (
        "const done = arguments[arguments.length - 1]; const t = []; let last = null;"
        f" const end = performance.now() + {seconds * 1000};"
        " const tick = (now) => { if (last !== null) t.push(now - last); last = now;"
        " if (now < end) requestAnimationFrame(tick); else done(t); };"
        " requestAnimationFrame(tick);"
    )
    return sorted(browser.s("POST", "/execute/async", {"script": script, "args": []})["value"])


def console_errors(browser, name):
    errors = [entry for entry in browser.console() if entry.get("level") == "SEVERE"]
    if errors:
        fail(f"{name}: the browser's console has errors: " + " | ".join(e.get("message", "")[:300] for e in errors))


def main():
    if len(sys.argv) < 2:
        fail("usage: tests/browser/check.py SITE_FOLDER [--shots DIR]")
    site = sys.argv[1]
    shots = sys.argv[sys.argv.index("--shots") + 1] if "--shots" in sys.argv else tempfile.mkdtemp(prefix="downhill-web-")
    os.makedirs(shots, exist_ok=True)
    if not os.path.isfile(os.path.join(site, "index.html")):
        fail(f"{site} has no index.html; build the site with scripts/web.sh build")
    for tool in ["chromium", "chromedriver", "tesseract", "convert", "identify"]:
        if not shutil.which(tool):
            fail(f"{tool} is missing; scripts/test.sh installs it")
    server, base = serve(site)
    profile = tempfile.mkdtemp(prefix="downhill-chromium-")
    browser = Browser(profile)
    timings = []
    try:
        # The window's size includes what the browser draws around the page: size it so the page is WIDTH x HEIGHT.
        for _ in range(3):
            outer = browser.s("GET", "/window/rect")["value"]
            inner = browser.js("return [window.innerWidth, window.innerHeight]")
            if inner == [WIDTH, HEIGHT]:
                break
            browser.s(
                "POST",
                "/window/rect",
                {"width": outer["width"] + WIDTH - inner[0], "height": outer["height"] + HEIGHT - inner[1]},
            )
        if inner != [WIDTH, HEIGHT]:
            fail(f"the page cannot be made {WIDTH}x{HEIGHT}: it is {inner[0]}x{inner[1]}")
        print(f"browser test: the page is {inner[0]}x{inner[1]}")

        # 1. As a link with nothing in it opens: scene 1, still, the tangent, the curve, the panel.
        page = Page(browser, base, "", shots, "slope")
        timings.append(page.first_frame_ms)
        if page.notice:
            fail(f"slope: a plain address shows a notice: {page.notice}")
        title = browser.js("return document.title")
        if "downhill" not in title or "slope" not in title:
            fail(f"the title '{title}' does not say what the page is")
        scroll = browser.js(
            "return [document.documentElement.scrollWidth > innerWidth, document.documentElement.scrollHeight > innerHeight]"
        )
        if any(scroll):
            fail(f"the page scrolls: {scroll}")
        time.sleep(1.0)
        slope = page.shot()
        if (slope.width, slope.height) != (inner[0], inner[1]):
            fail(f"the screenshot is {slope.width}x{slope.height}, the page {inner}")
        canvas = browser.js("const c = document.getElementById('downhill'); return [c.width, c.height]")
        if abs(canvas[0] - inner[0]) > 2 or abs(canvas[1] - inner[1]) > 2:
            fail(f"the canvas is {canvas[0]}x{canvas[1]}, not the page's {inner[0]}x{inner[1]}")
        plot_right = check_scene_one(slope, "slope")
        console_errors(browser, "slope")

        # The canvas follows the window, smaller and back, without growing on its own.
        outer = browser.s("GET", "/window/rect")["value"]
        for width, height in [(outer["width"] - 300, outer["height"] - 200), (outer["width"], outer["height"])]:
            browser.s("POST", "/window/rect", {"width": width, "height": height})
            time.sleep(1.5)
            # The drawing buffer (what the program sizes), not the element (what the page's CSS sizes).
            sizes = browser.js(
                "const c = document.getElementById('downhill');"
                " return [c.width, c.height, Math.round(innerWidth * devicePixelRatio),"
                " Math.round(innerHeight * devicePixelRatio)]"
            )
            if abs(sizes[0] - sizes[2]) > 1 or abs(sizes[1] - sizes[3]) > 1:
                fail(f"after a resize the canvas draws {sizes[0]}x{sizes[1]} in a {sizes[2]}x{sizes[3]} page")
        time.sleep(1.0)

        # 2. A finger drags the ball along the curve.
        start = ball_centre(slope, plot_right)
        browser.drag(start, (start[0] + 100, start[1]))
        time.sleep(1.0)
        dragged = page.shot("-dragged")
        moved_to = ball_centre(dragged, plot_right)
        if moved_to[0] < start[0] + 60:
            fail(f"a touch drag from {start} to 100 px right left the ball at {moved_to}")
        print(f"browser test: a touch drag moved the ball from x = {start[0]:.0f} to {moved_to[0]:.0f} px")
        console_errors(browser, "slope, dragged")

        # 3. A click on Play moves the ball, with the program's own pacing.
        play = find_word(dragged, "Play", right_of=plot_right)
        if play is None:
            fail("no 'Play' button could be read in the panel")
        before = moved_to
        browser.click(*play)
        time.sleep(3.0)
        playing = page.shot("-playing")
        after = ball_centre(playing, plot_right)
        moved = ((after[0] - before[0]) ** 2 + (after[1] - before[1]) ** 2) ** 0.5
        if moved < 5:
            fail(f"a click on Play at {play} did not move the ball (it moved {moved:.1f} px)")
        print(f"browser test: Play moved the ball {moved:.0f} px in 3 s")

        # 4. "Copy link" writes what is on screen into the address.
        copy = find_word(playing, "Copy", right_of=plot_right)
        if copy is None:
            fail("no 'Copy link' button could be read in the panel")
        browser.click(*copy)
        search = address_after(browser, "")
        time.sleep(1.0)
        copied = page.shot("-copied")
        if "curve=bowl" not in search or "lr=0.1" not in search or "play=1" not in search:
            fail(f"after Copy link the address holds '{search}'")
        print(f"browser test: Copy link wrote {search}")

        # 5. A formula typed into the panel's field becomes the curve (and the link carries it).
        label = min(
            # tesseract reads "or f(x) =" as "or" or, without the spaces, as "orf(x)=": both start where it does.
            (
                w
                for w in words(copied)
                if (w[0] == "or" or w[0].startswith("orf")) and w[1] >= plot_right and w[2] < HEIGHT // 2
            ),
            key=lambda w: w[2],
            default=None,
        )
        if label is None:
            fail("the formula field's label 'or f(x) =' could not be read in the panel")
        browser.click(label[1] + 160, label[2] + label[4] / 2)
        time.sleep(2.0)
        browser.type("x^4 - 3x^2 + x\ue007")
        time.sleep(1.5)
        typed = page.shot("-typed")
        check_scene_one(typed, "typed formula")
        browser.click(*copy)
        search = address_after(browser, search)
        if "curve=x%5E4%20-%203x%5E2%20%2B%20x" not in search:
            fail(f"after typing x^4 - 3x^2 + x and Copy link the address holds '{search}'")
        print(f"browser test: a typed formula, then Copy link: {search}")
        console_errors(browser, "slope, typed")

        # 6. Keys work once the canvas has the focus: 2 shows scene 2.
        browser.key("2")
        time.sleep(1.5)
        keyed = page.shot("-key-2")
        if height_map_colours(keyed, plot_right) < 25:
            fail("pressing 2 did not show scene 2's height map")
        console_errors(browser, "slope, played")

        # 7. Another address, another picture.
        page = Page(browser, base, "?curve=double-well&lr=0.05", shots, "double-well")
        timings.append(page.first_frame_ms)
        if page.notice:
            fail(f"double-well: a good address shows a notice: {page.notice}")
        time.sleep(1.0)
        well = page.shot()
        check_scene_one(well, "double-well")
        change = differing(slope, well, plot_right)
        if change < 0.01:
            fail(f"?curve=double-well&lr=0.05 looks like the default page ({change:.1%} of the plot changed)")
        console_errors(browser, "double-well")

        # 8. A bad value: one line that says so, the default used, the page running.
        page = Page(browser, base, "?lr=fast", shots, "bad-value")
        timings.append(page.first_frame_ms)
        if not page.notice or "lr" not in page.notice or "\n" in page.notice.strip():
            fail(f"?lr=fast should say one line about lr, not {page.notice!r}")
        time.sleep(1.0)
        check_scene_one(page.shot(), "bad-value")
        print(f"browser test: ?lr=fast says: {page.notice}")

        # 9. Scene 2 from the address: the height map.
        page = Page(browser, base, "?scene=gradient", shots, "gradient")
        timings.append(page.first_frame_ms)
        time.sleep(1.0)
        gradient = page.shot()
        colours = height_map_colours(gradient, plot_right)
        if colours < 25:
            fail(f"?scene=gradient shows no height map ({colours} colours)")
        console_errors(browser, "gradient")

        # 9b. The slope plot from the address: f' under the curve, magenta where it rises, cyan where it falls.
        page = Page(browser, base, "?curve=double-well&derivative=1", shots, "slope-plot")
        time.sleep(1.0)
        slope_plot = page.shot()
        lower = (0, HEIGHT // 2, plot_right, HEIGHT)
        rising = slope_plot.count(is_rising_magenta, *lower)
        falling = slope_plot.count(is_falling_cyan, *lower)
        if rising < 40 or falling < 40:
            fail(f"?derivative=1 shows no slope plot under the curve ({rising} magenta, {falling} cyan pixels)")
        print(f"browser test: ?derivative=1 draws f' ({rising} magenta and {falling} cyan samples)")
        console_errors(browser, "slope-plot")

        # 10. The chord lab and the exhibit start too.
        page = Page(browser, base, "?lab=1&h=0.01", shots, "lab")
        time.sleep(1.0)
        check_scene_one(page.shot(), "lab")
        page = Page(browser, base, "?exhibit=1", shots, "exhibit")
        timings.append(page.first_frame_ms)
        time.sleep(4.0)
        page.shot()
        if browser.js("return document.fullscreenElement !== null"):
            fail("the exhibit went fullscreen before anyone touched it")
        browser.drag((WIDTH / 2, HEIGHT / 2), (WIDTH / 2 + 2, HEIGHT / 2))
        time.sleep(1.5)
        if not browser.js("return document.fullscreenElement !== null"):
            fail("the exhibit did not ask for fullscreen at the first touch")
        page.shot("-woken")
        console_errors(browser, "exhibit")

        # 11. How fast it draws, playing: one ball, then the Plateau crawl race (three balls and their trails)
        # with the loss plot. The program draws once per animation frame, so the time between frames is its
        # frame time.
        for query, name in [("?play=1", "playing"), ("?scenario=Plateau%20crawl&play=1", "race")]:
            page = Page(browser, base, query, shots, name)
            time.sleep(1.0)
            intervals = frame_intervals(browser, 6.0)
            page.shot()
            console_errors(browser, name)
            if len(intervals) < 3:
                fail(f"{name}: it stalled: {len(intervals)} frames in 6 s")
            p50 = intervals[len(intervals) // 2]
            p95 = intervals[int(len(intervals) * 0.95)]
            print(
                f"browser test: {query} at {WIDTH}x{HEIGHT}: {len(intervals)} frames in 6 s, "
                f"frame time p50 {p50:.1f} ms, p95 {p95:.1f} ms"
            )
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)

    # 12. A browser without WebGL2 gets a sentence, not a blank page.
    profile = tempfile.mkdtemp(prefix="downhill-chromium-")
    browser = Browser(profile, ["--disable-webgl2"])
    try:
        browser.go(base)
        time.sleep(2.0)
        notice = browser.js(
            "return document.getElementById('notice').hidden ? null"
            " : document.getElementById('message').textContent"
        )
        if not notice or "WebGL2" not in notice:
            fail(f"without WebGL2 the page should say so, not {notice!r}")
        browser.screenshot(os.path.join(shots, "no-webgl2.png"))
    finally:
        browser.close()
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)
    print(
        "browser test: first frame after navigation: "
        + ", ".join(f"{t / 1000:.2f} s" for t in timings)
        + f"; screenshots in {shots}"
    )
    print("browser test: passed")


if __name__ == "__main__":
    main()
