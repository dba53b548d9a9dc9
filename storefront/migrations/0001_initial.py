import django.contrib.postgres.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("product", "0117_auto_20200423_0737"),
    ]

    operations = [
        migrations.CreateModel(
            name="StorefrontConfiguration",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("shop_name", models.CharField(default="Chợ OCOP Việt Nam", max_length=120)),
                ("tagline", models.CharField(blank=True, default="Sản phẩm OCOP được chứng nhận 3–5 sao, từ tận nơi làm ra.", max_length=200)),
                ("featured_province_codes", django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=2), blank=True, default=list, size=None)),
                ("badge_style", models.CharField(choices=[("classic", "classic"), ("flat", "flat")], default="classic", max_length=20)),
                ("default_language", models.CharField(choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi", max_length=8)),
                ("products_per_page", models.PositiveSmallIntegerField(default=24)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("featured_products", models.ManyToManyField(blank=True, related_name="_storefrontconfiguration_featured_products_+", to="product.Product")),
            ],
            options={
                "verbose_name": "storefront configuration",
            },
        ),
    ]
