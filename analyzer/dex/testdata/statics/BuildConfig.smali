.class public final Lcom/acme/sdk/BuildConfig;
.super Ljava/lang/Object;

.field public static final DEBUG:Z = false
.field public static final VERSION_CODE:I = 0x7
.field public static final VERSION_NAME:Ljava/lang/String; = "1.2.3"
