.class public final Lcom/acme/sdk/SdkVersion;
.super Ljava/lang/Object;

# Fields are listed (and their static values stored) in field-id order:
# the values before SDK_VERSION must be stepped over, whatever their type.
.field public static final ARR:[I = {0x1, 0x2, 0x3}
.field public static final DOUBLE:D = 2.5
.field public static final LONG:J = 0x123456789L
.field public static final NULLED:Ljava/lang/String; = null
.field public static final PROTOCOL_VERSION:Ljava/lang/String; = "9.9.9"
.field public static final SDK_VERSION:Ljava/lang/String; = "4.5.6.lite"
.field public static final TYPE:Ljava/lang/Class; = Ljava/lang/String;
.field public static final VERSION:I = 0x5
