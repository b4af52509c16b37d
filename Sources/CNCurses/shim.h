// The only C the project touches: ncursesw, with accessors for what Swift cannot import.
#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H

// Wide-character API (cchar_t, setcchar, ...) must be switched on before the header.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// Globals and macros Swift 6 cannot use directly (not concurrency-safe, or not importable).
static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline FILE *cnc_stdout(void) { return stdout; }
static inline FILE *cnc_stdin(void) { return stdin; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline int cnc_key_resize(void) { return KEY_RESIZE; }
static inline int cnc_err(void) { return ERR; }
static inline int cnc_key_up(void) { return KEY_UP; }
static inline int cnc_key_down(void) { return KEY_DOWN; }
static inline int cnc_key_left(void) { return KEY_LEFT; }
static inline int cnc_key_right(void) { return KEY_RIGHT; }
static inline int cnc_key_mouse(void) { return KEY_MOUSE; }

// Mouse clicks on (seed mode) or off: off, the terminal keeps its own text selection.
static inline void cnc_mouse(int on) {
    mousemask(on ? (BUTTON1_PRESSED | BUTTON1_CLICKED) : 0, NULL);
    mouseinterval(0);
}

// The cell of a button-1 press or click just read as KEY_MOUSE; 0 for any other mouse event.
static inline int cnc_mouse_click(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    if (!(event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))) return 0;
    *x = event.x;
    *y = event.y;
    return 1;
}

// Whether the locale set by setlocale(LC_ALL, "") encodes UTF-8 (else half blocks render blank).
static inline int cnc_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

// Whether $TERM can draw a screen, checked before any screen opens: -1 unknown to terminfo,
// 0 known but without cursor addressing (e.g. TERM=dumb), 1 usable. Touches no terminal state.
static inline int cnc_term_can_address(void) {
    int status = 0;
    if (setupterm(NULL, STDOUT_FILENO, &status) != OK) {
        return -1;
    }
    const char *cup = tigetstr("cup");
    int usable = cup != NULL && cup != (const char *)-1;
    del_curterm(cur_term);
    return usable;
}

// Sets attributes and a colour pair; pairs above 32767 travel through the opts pointer
// (an ncurses extension), as the short argument cannot hold them.
static inline int cnc_set_style(WINDOW *win, attr_t attrs, int pair) {
    if (pair > 32767) {
        return wattr_set(win, attrs, 0, &pair);
    }
    return wattr_set(win, attrs, (short)pair, NULL);
}

#endif
