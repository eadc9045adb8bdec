.class public final Lcom/acme/other/Plain;
.super Ljava/lang/Object;

# A static field without a value, and an instance field of a wanted name.
.field public static VERSION_NAME:Ljava/lang/String;
.field public final SDK_VERSION:Ljava/lang/String;
