// ncursesw plus static-inline wrappers, prefixed `bt_`, for the function-like
// macros and globals that Swift cannot import.
#ifndef BLOCKTOP_CCURSES_SHIM_H
#define BLOCKTOP_CCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <ncurses.h>

/// COLOR_PAIR(n): the attribute bits that select colour pair `n`.
static inline int bt_color_pair(int n) { return (int)COLOR_PAIR(n); }

/// The `stdscr` global.
static inline WINDOW *bt_stdscr(void) { return stdscr; }

/// getmaxyx(win, y, x): the window's size in rows and columns.
static inline void bt_getmaxyx(WINDOW *win, int *rows, int *cols) {
    int y, x;
    getmaxyx(win, y, x);
    *rows = y;
    *cols = x;
}

/// The `COLORS` global: how many colours the terminal has (after start_color).
static inline int bt_colors(void) { return COLORS; }

/// The `COLOR_PAIRS` global: how many colour pairs the terminal has (after start_color).
static inline int bt_color_pairs(void) { return COLOR_PAIRS; }

/// A_BOLD: the attribute bit for bold text.
static inline attr_t bt_a_bold(void) { return A_BOLD; }

/// A_REVERSE: the attribute bit for reverse video.
static inline attr_t bt_a_reverse(void) { return A_REVERSE; }

/// BUTTON1_PRESSED | BUTTON1_CLICKED: the mouse events of the left button.
static inline mmask_t bt_button1_press_events(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED; }

/// Whether the terminal can move the cursor (terminfo `cup`); TERM=dumb cannot.
static inline bool bt_can_move_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}
#endif
