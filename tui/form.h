/*
 * form.h: the new-request form, shared by its two files
 *
 * screen_form.c draws the form and moves between fields; form_actions.c
 * does what needs the database or the routing engine: the caller's lookup,
 * the live route suggestion, the possible duplicates, saving and attaching
 * the caller to an existing request.  The form is never changed by what
 * happens elsewhere: notifications, reconnects and failed saves leave
 * every field as the clerk typed it.
 */
#ifndef KOTA_TUI_FORM_H
#define KOTA_TUI_FORM_H

#include <stdbool.h>
#include <stdint.h>

#include "data.h"
#include "edit.h"
#include "phone.h"
#include "place.h"
#include "request.h"
#include "screen.h"

/*
 * The location comes after the description: most calls have no point, and
 * the usual path (district, Tab, the story) keeps its keys.
 */
enum form_field {
	FF_PHONE, FF_NAME, FF_EMAIL, FF_SERVICE, FF_ADDRESS, FF_DISTRICT,
	FF_DESCRIPTION, FF_LOCATION, FF_PRIORITY, FF_COUNT
};

#define FORM_DUP_DELAY_MS	300	/* after the last keystroke */
#define FORM_DUP_MAX		5

struct form {
	struct screen		 s;
	struct edit		 edit[FF_COUNT];	/* text fields */
	char			 service[40];		/* code, "" none */
	int			 priority;		/* 0: the default */
	int			 focus;
	char			 error[FF_COUNT][512];	/* inline, per field */

	/* the caller */
	char			 phone_checked[64];	/* what was looked up */
	char			 phone_e164[PHONE_E164_MAX];
	char			 caller[256];		/* "known caller: ..." */
	char			 lang[4];

	/*
	 * The point and its areas (kota.areas_at()): looked up when the
	 * clerk leaves the location field, or FORM_DUP_DELAY_MS after the
	 * district's typing stops when there is no point.  areas_checked
	 * says what the areas are of ("" not looked up), so that nothing is
	 * asked twice.
	 */
	char			 location_checked[128];
	bool			 has_point;
	double			 lat, lon;
	char			 areas_checked[160];
	int			 areas[PLACE_AREAS_MAX];
	size_t			 nareas;
	char			 areas_text[512];
	char			 kelurahan[128], kecamatan[128]; /* names */
	char			 areas_warning[512]; /* the district disagrees */
	bool			 areas_pending;
	int64_t			 areas_due;

	/* the live route suggestion */
	char			 route_department[24];
	char			 route_rule[128];
	char			 route_assignee[64];
	int			 route_priority;
	char			 route_text[256];
	char			 route_warning[256];	/* a rule skipped */

	/*
	 * Saving: one idempotency key per form, kept across every F2 until
	 * the form is saved or discarded, so that a save repeated after a
	 * lost connection finds the request the first one made instead of
	 * making a second.  save_unsure: the connection went during a save,
	 * which may have committed; the form saves again (same key) as soon
	 * as the console is connected, and says which it was.
	 */
	char			 key[REQUEST_KEY_SIZE];
	bool			 save_unsure;

	/* possible duplicates, fetched a moment after the typing stops */
	struct data_rows	 dups;
	bool			 dup_pending;
	int64_t			 dup_due;
};

/* form_actions.c */
void	form_phone_left(struct form *f);
void	form_route(struct form *f);
void	form_changed(struct form *f, int field);
int64_t	form_dup_tick(struct form *f, int64_t now);
/* True when saved: the form is closed and freed. */
bool	form_save(struct form *f);
/* Called on each tick: the unsure save again, once connected. */
bool	form_save_retry(struct form *f);
void	form_attach(struct form *f);
int	form_effective_priority(const struct form *f, const char **why);
const char *form_field_name(int field);

/* form_place.c */
void	form_location_left(struct form *f);
void	form_district_changed(struct form *f);
int64_t	form_areas_tick(struct form *f, int64_t now);
/* -1: not looked up (offline); asked again next time */
int	form_areas_lookup(struct form *f);

/* screen_form.c */
void	form_pick_service(struct form *f, const char *search);
/* Remove the form from the screens and free it (saved or discarded). */
void	form_close(struct form *f);

#endif
