from django.core.management.base import BaseCommand, CommandError

from haotong.core.demo import loader


class Command(BaseCommand):
    help = "Load the demo district (Tongzhou from the 2023 article + generated synthetic records)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the demo is already loaded"
        )
        parser.add_argument("--projects", type=int, default=loader.TOTAL_PROJECTS)
        parser.add_argument("--enterprises", type=int, default=loader.TOTAL_ENTERPRISES)

    def handle(self, *args, if_empty=False, projects=0, enterprises=0, **options):
        if loader.is_loaded():
            if if_empty:
                self.stdout.write("演示区已加载，跳过。")
                return
            raise CommandError(
                "演示区已加载。要重新加载，请先删除数据库文件（var/haotong.sqlite3）。"
            )
        if projects < 20 or enterprises < 60:
            raise CommandError("--projects 至少 20，--enterprises 至少 60")
        counts = loader.load(projects=projects, enterprises=enterprises)
        self.stdout.write(
            self.style.SUCCESS(
                "已加载演示区「通州区」：" + "，".join(f"{k} {v}" for k, v in counts.items())
            )
        )
        self.stdout.write("演示账号（密码相同）：\n" + loader.accounts_table())
