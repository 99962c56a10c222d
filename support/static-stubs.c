/*
 * Cairn's release binary is a static executable (it starts in about 2 ms instead of about 10:
 * no shared libraries to load). Debian ships libgit2 and libcurl and what they need as static
 * archives except three libraries for features Cairn never uses:
 *   - GSSAPI, which libgit2 and libcurl use only for Kerberos (SPNEGO) authentication over
 *     HTTP: Cairn uses libgit2 on local repositories only, and S3 signs requests with keys;
 *   - librtmp and OpenLDAP, behind libcurl's rtmp:// and ldap:// protocols: Cairn lets curl
 *     speak only http and https (CURLOPT_PROTOCOLS_STR), so curl never reaches them.
 * These stand-ins report failure and are never called. Linked by the Makefile into the release
 * build only.
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

OM_uint32 gss_display_name(OM_uint32 *minor, void *a, void *b, void *c) { unavailable_minor(minor); return GSS_S_UNAVAILABLE; }
OM_uint32 gss_inquire_context(OM_uint32 *minor, void *a, void *b, void *c, OM_uint32 *d, void *e, OM_uint32 *f, int *g, int *h) {
    unavailable_minor(minor);
    return GSS_S_UNAVAILABLE;
}
OM_uint32 gss_wrap(OM_uint32 *minor, void *a, int b, OM_uint32 c, void *d, int *e, void *f) { unavailable_minor(minor); return GSS_S_UNAVAILABLE; }
OM_uint32 gss_unwrap(OM_uint32 *minor, void *a, void *b, void *c, int *d, OM_uint32 *e) { unavailable_minor(minor); return GSS_S_UNAVAILABLE; }

/* librtmp: RTMP_Alloc fails, so curl goes no further. */
void *RTMP_Alloc(void) { return 0; }
void RTMP_Free(void *r) {}
void RTMP_Init(void *r) {}
void RTMP_Close(void *r) {}
int RTMP_SetupURL(void *r, char *url) { return 0; }
int RTMP_Connect1(void *r, void *cp) { return 0; }
int RTMP_ConnectStream(void *r, int seek) { return 0; }
void RTMP_SetBufferMS(void *r, int size) {}
int RTMP_Read(void *r, char *buf, int size) { return -1; }
int RTMP_Write(void *r, const char *buf, int size) { return -1; }

/* OpenLDAP: connecting fails (LDAP_UNAVAILABLE), so curl goes no further. */
#define LDAP_UNAVAILABLE 0x34
int ldap_init_fd(int fd, int proto, const char *url, void **ld) { return LDAP_UNAVAILABLE; }
int ldap_url_parse(const char *url, void **desc) { return LDAP_UNAVAILABLE; }
void ldap_free_urldesc(void *desc) {}
char *ldap_err2string(int err) { return "LDAP is not available in this build"; }
int ldap_get_option(void *ld, int option, void *out) { return LDAP_UNAVAILABLE; }
int ldap_set_option(void *ld, int option, const void *in) { return LDAP_UNAVAILABLE; }
int ldap_start_tls(void *ld, void *s, void *c, int *id) { return LDAP_UNAVAILABLE; }
int ldap_sasl_bind(void *ld, const char *dn, const char *m, void *cred, void *s, void *c, int *id) { return LDAP_UNAVAILABLE; }
int ldap_parse_sasl_bind_result(void *ld, void *res, void **cred, int freeit) { return LDAP_UNAVAILABLE; }
int ldap_search_ext(void *ld, const char *base, int scope, const char *f, char **a, int o, void *s, void *c, void *t, int l, int *id) {
    return LDAP_UNAVAILABLE;
}
int ldap_result(void *ld, int id, int all, void *timeout, void **res) { return -1; }
int ldap_msgtype(void *msg) { return -1; }
int ldap_msgfree(void *msg) { return 0; }
int ldap_parse_result(void *ld, void *res, int *err, char **m, char **e, char ***r, void ***c, int freeit) { return LDAP_UNAVAILABLE; }
int ldap_get_dn_ber(void *ld, void *entry, void **ber, void *dn) { return LDAP_UNAVAILABLE; }
int ldap_get_attribute_ber(void *ld, void *entry, void *ber, void *attr, void **values) { return LDAP_UNAVAILABLE; }
int ldap_abandon_ext(void *ld, int id, void *s, void *c) { return LDAP_UNAVAILABLE; }
int ldap_unbind_ext(void *ld, void *s, void *c) { return 0; }
void ldap_memfree(void *p) {}
int ldap_pvt_url_scheme2proto(const char *scheme) { return -1; }
void ber_free(void *ber, int freebuf) {}
void ber_memfree(void *p) {}
void ber_bvfree(void *bv) {}
int ber_sockbuf_add_io(void *sb, void *io, int layer, void *arg) { return -1; }
