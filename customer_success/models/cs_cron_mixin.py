# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.fields import Domain


class CsCronMixin(models.AbstractModel):
    """The batched scheduled action, written once.

    Odoo's ``account.move._cron_account_move_send`` pattern: take a batch,
    lock it with ``try_lock_for_update`` (what another worker holds is
    skipped, not waited for), process it, and commit with
    ``ir.cron._commit_progress(len(batch), remaining=...)``, which also tells
    when the scheduler wants the job to stop and be called again. A crash
    loses the current batch only; a re-run or a second worker picks up what
    is left.
    """

    _name = "cs.cron.mixin"
    _description = "Customer Success Batched Scheduled Action"

    @api.model
    def _cs_run_in_batches(self, get_batch, process, count_remaining):
        """Process batches until none is left or the scheduler asks to stop.

        ``get_batch(done)`` returns the next records to process (those in
        ``done`` are left out in any case); ``process(batch)`` does the work;
        ``count_remaining(done)`` counts what is still to do. Returns the
        records processed.
        """
        Cron = self.env["ir.cron"]
        done = self.browse()
        while True:
            batch = (get_batch(done) - done).try_lock_for_update()
            if not batch:
                break
            done |= batch
            process(batch)
            remaining = count_remaining(done)
            if not Cron._commit_progress(len(batch), remaining=remaining) or (
                not remaining
            ):
                break
        return done

    @api.model
    def _cs_run_domain_in_batches(self, domain, process, batch_size, order="id"):
        """Process the records matching ``domain``, ``batch_size`` at a time.

        Each locked batch is searched again against ``domain`` (one query,
        whatever the domain reads): another worker may have processed it
        between the search and the lock. What is left is counted once, at the
        start, and counted down. Ordered by id, the run takes the records due
        when it starts: one that becomes due during the run waits for the
        next run.
        """
        domain = Domain(domain)
        keyset = order == "id"
        if keyset:
            last = self.search(domain, order="id desc", limit=1)
            if not last:
                return self.browse()
            domain &= Domain("id", "<=", last.id)
        seen = {"last_id": 0}
        total = self.search_count(domain)

        def get_batch(done):
            # ordered by id, the next batch starts after the last one seen
            # (a list of what is done would grow with the run)
            after = (
                Domain("id", ">", seen["last_id"])
                if keyset
                else Domain("id", "not in", done.ids)
            )
            batch = self.search(domain & after, order=order, limit=batch_size)
            if batch:
                seen["last_id"] = batch[-1].id
            return batch

        def check_and_process(batch):
            process(self.search(domain & Domain("id", "in", batch.ids), order=order))

        return self._cs_run_in_batches(
            get_batch, check_and_process, lambda done: max(total - len(done), 0)
        )
