// What a failed result of one of Ansible's action plugins carries besides its msg.

/**
 * The `exception` of a result whose action plugin raised AnsibleActionFail without an underlying
 * exception (template's and fetch's argument checks): Python's traceback.format_exc() outside an
 * exception, as ansible-playbook 2.14 registers it.
 */
export const ACTION_RAISED = 'NoneType: None\n';
