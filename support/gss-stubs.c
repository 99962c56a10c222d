/*
 * Cairn's release binary is a static executable (it starts in about 2 ms instead of about 10:
 * no shared libraries to load). Debian ships libgit2 and everything it needs as static
 * archives except GSSAPI, which libgit2 uses only for Kerberos (SPNEGO) authentication over
 * HTTP. Cairn uses libgit2 on local repositories only, never over a network, so these
 * stand-ins, which report that GSSAPI is unavailable, are never called. Linked by the
 * Makefile into the release build only.
 */
typedef unsigned int OM_uint32;
#define GSS_S_UNAVAILABLE (16u << 16)

static void unavailable_minor(OM_uint32 *minor) { if (minor) *minor = 0; }

void *GSS_C_NT_HOSTBASED_SERVICE = 0;

OM_uint32 gss_import_name(OM_uint32 *minor, void *a, void *b, void *c) { unavailable_minor(minor); return GSS_S_UNAVAILABLE; }
OM_uint32 gss_release_name(OM_uint32 *minor, void *a) { unavailable_minor(minor); return GSS_S_UNAVAILABLE; }
OM_uint32 gss_release_buffer(OM_uint32 *minor, void *a) { unavailable_minor(minor); return GSS_S_UNAVAILABLE; }
OM_uint32 gss_release_oid_set(OM_uint32 *minor, void *a) { unavailable_minor(minor); return GSS_S_UNAVAILABLE; }
OM_uint32 gss_indicate_mechs(OM_uint32 *minor, void *a) { unavailable_minor(minor); return GSS_S_UNAVAILABLE; }
OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void *a, void *b) { unavailable_minor(minor); return GSS_S_UNAVAILABLE; }
OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 a, int b, void *c, OM_uint32 *d, void *e) {
    unavailable_minor(minor);
    return GSS_S_UNAVAILABLE;
}
OM_uint32 gss_init_sec_context(OM_uint32 *minor, void *a, void *b, void *c, void *d, OM_uint32 e, OM_uint32 f,
                               void *g, void *h, void *i, void *j, OM_uint32 *k, OM_uint32 *l) {
    unavailable_minor(minor);
    return GSS_S_UNAVAILABLE;
}
